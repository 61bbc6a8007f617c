// Conversations the page does not have open are kept up to date on the device by the app's
// catch-up worker: what arrives in one is readable offline without ever having opened it,
// and what was written while the app was closed is counted as unread from the document.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  UI_TIMEOUT,
  createGroup,
  goOfflineSeen,
  messageRow,
  messageTexts,
  openConversation,
  sendMessage,
} from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { kvRecord, myUserId } from '../utils/local-store.js';

const suite = useBrowserSuite();

/** The texts of the newest messages the device keeps of a group for its first paint. */
async function keptTexts(page: Page, userId: string, groupId: string): Promise<string[]> {
  const tail = (await kvRecord(page, `tail:${userId}:${groupId}`)) as { text?: string }[] | null;
  return (tail ?? []).map((m) => m.text ?? '');
}

describe('catching up on conversations that are not open', () => {
  it('brings what arrives in a conversation never opened here to the device, to read offline', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Alpha');
    await createGroup(ana, 'Beta', [ben]);
    await openConversation(ben.page, 'Alpha');

    // Ana writes in Beta, which Ben's app has never opened.
    await openConversation(ana.page, 'Beta');
    await sendMessage(ana.page, 'beta one');
    await sendMessage(ana.page, 'beta two');
    await ben.page.getByRole('link', { name: 'Beta, 2 unread' }).waitFor();
    const betaId = new URL(ana.page.url()).pathname.split('/')[2]!;
    const benId = await myUserId(ben.page);
    await expect
      .poll(() => keptTexts(ben.page, benId, betaId), { timeout: UI_TIMEOUT })
      .toEqual(['beta one', 'beta two']);

    // Offline, Beta opens with both messages from the device's copy, and takes a reply
    // after them (a copy without them would show the reply alone once loaded).
    await goOfflineSeen(ben);
    await openConversation(ben.page, 'Beta');
    await messageRow(ben.page, 'beta two').waitFor();
    await sendMessage(ben.page, 'read on the train');
    await expect
      .poll(() => messageTexts(ben.page), { timeout: UI_TIMEOUT })
      .toEqual(['beta one', 'beta two', 'read on the train']);
    expect(ben.pageErrors).toEqual([]);
  });

  it('counts what was written while the app was closed', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Alpha');
    await createGroup(ana, 'Beta', [ben]);
    await openConversation(ben.page, 'Alpha');
    await sendMessage(ana.page, 'before you left');
    await ben.page.getByRole('link', { name: 'Beta, 1 unread' }).waitFor();
    // Ben's device has caught up with Beta once: the next catch-up asks what is new since.
    const betaId = new URL(ana.page.url()).pathname.split('/')[2]!;
    const benId = await myUserId(ben.page);
    await expect
      .poll(() => keptTexts(ben.page, benId, betaId), { timeout: UI_TIMEOUT })
      .toEqual(['before you left']);
    await ben.page.goto('about:blank');

    await sendMessage(ana.page, 'while you were out');
    await sendMessage(ana.page, 'one more');
    await sendMessage(ana.page, `and one for @${ben.username}`);
    await messageRow(ana.page, `and one for @${ben.username}`)
      .getByLabel('Status: On the server')
      .waitFor();

    // Back in the app, on another conversation: Beta counts all four, from its document.
    await ben.page.goto(new URL('/', suite.server.url).href);
    await ben.page.getByRole('link', { name: 'Beta, 4 unread, mentioned you' }).waitFor();
    await expect.poll(() => ben.page.title(), { timeout: UI_TIMEOUT }).toBe('(4) Canopy');
    await openConversation(ben.page, 'Beta');
    await messageRow(ben.page, `and one for @${ben.username}`).waitFor();
    await ben.page.getByRole('link', { name: 'Beta', exact: true }).waitFor();
    expect(ben.pageErrors).toEqual([]);
  });
});
