// Message search on the device: it finds messages by every word, ignoring case and accents,
// works with the network off, and jumps to the chosen message in the list.
import { describe, expect, it } from 'vitest';
import { goOffline, messageRow, sendMessage } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

describe('message search', () => {
  it('finds messages offline and jumps to the chosen one', async () => {
    const { ana } = await suite.twoUsersInGroup('Plans');
    const texts = ['Lunch at the Café at noon?', 'the build is green', 'cafe closed, lunch later'];
    for (const text of texts) await sendMessage(ana.page, text);
    // Enough later messages that the first one scrolls out of view.
    for (let i = 0; i < 40; i++) await sendMessage(ana.page, `filler message ${i}`);

    await goOffline(ana.context);
    await ana.page.getByRole('status', { name: 'Connection: Offline' }).waitFor();
    await ana.page.getByRole('button', { name: 'Search messages' }).click();
    await ana.page.getByRole('searchbox', { name: 'Search this conversation' }).fill('CAFE lunch');
    const results = ana.page.getByRole('list', { name: 'Search results' }).getByRole('button');
    await expect.poll(() => results.allTextContents()).toHaveLength(2);
    const found = await results.allTextContents();
    // Newest first.
    expect(found[0]).toContain('cafe closed, lunch later');
    expect(found[1]).toContain('Lunch at the Café at noon?');
    await ana.page.getByRole('status').filter({ hasText: '2 matches' }).waitFor();

    await results.nth(1).click();
    const hit = messageRow(ana.page, 'Lunch at the Café at noon?');
    await hit.waitFor();
    await expect.poll(() => hit.getAttribute('class')).toContain('search-hit');
    expect(await hit.isVisible()).toBe(true);

    await ana.page
      .getByRole('searchbox', { name: 'Search this conversation' })
      .fill('no such words');
    await ana.page.getByRole('status').filter({ hasText: 'No messages match.' }).waitFor();
    expect(ana.pageErrors).toEqual([]);
  });
});
