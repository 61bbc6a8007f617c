// A change the relay refuses does not leave the group stuck on the device. Ben, an admin,
// deletes Ana's message while offline and writes one of his own; Ana makes him a plain
// member before he is back. On reconnect the relay refuses his update (a member may not
// delete another's message) and closes the socket with 4422. Ben's app restores the group
// from the server's copy: Ana's message is back, the deletion is reported as undone, and his
// own message goes out anyway. Without the restore, every reconnect would send the refused
// update again and the group would never sync on his device.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  UI_TIMEOUT,
  goOfflineSeen,
  goOnline,
  messageRow,
  messageTexts,
  openConversation,
  sendMessage,
} from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

/** The owner sets a member's role in the group settings, then returns to the conversation. */
async function setRole(page: Page, member: string, role: 'Admin' | 'Member'): Promise<void> {
  await page.getByRole('link', { name: 'Group settings' }).click();
  await page.getByRole('combobox', { name: `Role of ${member}` }).selectOption({ label: role });
  await page.getByText('Role changed.').waitFor();
  await page.getByRole('link', { name: 'Back to the conversation' }).click();
}

describe('a refused change', () => {
  it('restores the group from the server and still sends what may be sent', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Refused', 'keep this');
    await setRole(ana.page, 'Ben', 'Admin');

    // Ben's app learns he is an admin: the menu offers to delete Ana's message.
    const row = messageRow(ben.page, 'keep this');
    const openMenu = async () => {
      await row.hover();
      await row.getByRole('button', { name: /^Message actions/ }).click();
      return ben.page.getByRole('menu');
    };
    await (await openMenu()).getByRole('menuitem', { name: 'Delete' }).waitFor();
    await ben.page.keyboard.press('Escape');

    await goOfflineSeen(ben);
    await (await openMenu()).getByRole('menuitem', { name: 'Delete' }).click();
    await ben.page.getByRole('button', { name: 'Delete message' }).click();
    await row.waitFor({ state: 'detached' });
    await sendMessage(ben.page, 'written offline');

    await setRole(ana.page, 'Ben', 'Member');
    await goOnline(ben.context);

    const notice = ben.page.getByRole('status').filter({ hasText: 'restored from its copy' });
    await notice.filter({ hasText: 'One change you may no longer make' }).waitFor({
      timeout: UI_TIMEOUT,
    });
    await ben.page.getByRole('status', { name: 'Connection: Synced' }).first().waitFor();
    await messageRow(ben.page, 'keep this').waitFor();
    await messageRow(ana.page, 'written offline').waitFor();
    expect(await messageTexts(ana.page)).toEqual(['keep this', 'written offline']);
    expect(await messageTexts(ben.page)).toEqual(['keep this', 'written offline']);
    // No refusal banner: the group is not closed.
    expect(await ben.page.getByRole('alert').count()).toBe(0);

    // The group syncs normally afterwards, also after a reload.
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await sendMessage(ben.page, 'after the restore');
    await messageRow(ana.page, 'after the restore').waitFor();
    await ben.page.reload();
    await openConversation(ben.page, 'Refused');
    await messageRow(ben.page, 'after the restore').waitFor();
    expect(await messageTexts(ben.page)).toEqual([
      'keep this',
      'written offline',
      'after the restore',
    ]);
    await sendMessage(ana.page, 'seen after the reload');
    await messageRow(ben.page, 'seen after the reload').waitFor();
    expect(await notice.count()).toBe(0);

    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });
});
