// Drafts: text typed and not sent stays with its conversation on this device. The sidebar
// shows it as "Draft: …" while I am elsewhere, the composer gives it back when I return,
// also after a reload, and sending it ends the draft.
import { describe, expect, it } from 'vitest';
import {
  conversationLink,
  createGroup,
  openConversation,
  sendMessage,
  UI_TIMEOUT,
} from '../utils/browser.js';
import { kvRecord, myUserId } from '../utils/local-store.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

describe('drafts', () => {
  it('keeps unsent text per conversation across switches and reloads', async () => {
    const ana = await suite.signUp('Ana');
    const ben = await suite.signUp('Ben');
    await createGroup(ana, 'One', [ben]);
    await createGroup(ana, 'Two', [ben]);
    const page = ana.page;
    const box = page.getByRole('textbox', { name: 'Message' });

    // Typed in "Two", then Ana goes to "One".
    await box.fill('half a thought');
    await openConversation(page, 'One');
    expect(await box.inputValue()).toBe('');
    await conversationLink(page, 'Two')
      .and(page.getByRole('link', { name: 'Two, draft' }))
      .waitFor();
    expect(await conversationLink(page, 'Two').locator('.group-item-preview').textContent()).toBe(
      'Draft: half a thought',
    );

    // Kept on the device: after a reload the sidebar still has it, and "Two" gives it back.
    const me = await myUserId(page);
    const draftsStored = async (): Promise<string[]> => {
      const record = (await kvRecord(page, `drafts:${me}`)) as Record<string, string> | null;
      return Object.values(record ?? {});
    };
    await expect.poll(() => draftsStored(), { timeout: UI_TIMEOUT }).toEqual(['half a thought']);
    await page.reload();
    await conversationLink(page, 'Two')
      .and(page.getByRole('link', { name: 'Two, draft' }))
      .waitFor();
    await openConversation(page, 'Two');
    await expect.poll(() => box.inputValue(), { timeout: UI_TIMEOUT }).toBe('half a thought');
    // The conversation on screen shows its messages' preview, not the draft.
    await expect(conversationLink(page, 'Two').getAttribute('aria-label')).resolves.not.toContain(
      'draft',
    );

    // Typing on, then a reload straight away: the pause's write (or the page hiding) keeps it.
    await box.fill('half a thought, finished');
    await expect
      .poll(() => draftsStored(), { timeout: UI_TIMEOUT })
      .toEqual(['half a thought, finished']);
    await page.reload();
    await expect
      .poll(() => box.inputValue(), { timeout: UI_TIMEOUT })
      .toBe('half a thought, finished');

    // Sent: no draft left anywhere.
    await box.press('Enter');
    await sendMessage(page, 'and one more');
    await openConversation(page, 'One');
    await expect(conversationLink(page, 'Two').getAttribute('aria-label')).resolves.not.toContain(
      'draft',
    );
    await expect.poll(() => kvRecord(page, `drafts:${me}`), { timeout: UI_TIMEOUT }).toEqual({});
    expect(ana.pageErrors).toEqual([]);
  });
});
