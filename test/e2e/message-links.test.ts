// Links to messages: "Copy link" in a message's menu puts the message's address on the
// clipboard; opening such an address shows that message, however far back it is (rows of
// a long conversation are virtualized, so it is not on the page before), and the address
// becomes the conversation's. After that jump, "Jump to newest" stays at the newest
// message when another arrives (the scroll event of the jump once took the pin back). A
// link into the app in a message opens in the same tab and shows its message.
import { describe, expect, it } from 'vitest';
import type { GroupId } from '@canopy/shared';
import { SESSION_COOKIE_NAME } from '@canopy/shared';
import { chatHistory, messageRow, openConversation, UI_TIMEOUT } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { HttpClient } from '../utils/http-client.js';

const suite = useBrowserSuite();

// The test project has no DOM lib: the one browser-side callback types what it touches.
interface ClipboardWindow {
  navigator: { clipboard: { readText(): Promise<string> } };
}

describe('links to messages', () => {
  it('copies a link to a message and opens the conversation at it', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('History');
    await openConversation(ben.page, 'History'); // Ben follows along: nothing stays unread
    const groupId = new URL(ana.page.url()).pathname.split('/')[2] as GroupId;
    // A long history, written through the message API with Ana's session.
    const cookie = (await ana.context.cookies()).find((c) => c.name === SESSION_COOKIE_NAME);
    const api = new HttpClient(suite.server.url);
    api.setCookie(SESSION_COOKIE_NAME, cookie!.value);
    const first = await api.postMessage(groupId, 'the very first message');
    for (let i = 2; i <= 150; i++) await api.postMessage(groupId, `message ${i}`);
    await messageRow(ana.page, 'message 150').waitFor({ timeout: UI_TIMEOUT });

    // Copy link on the newest message.
    await ana.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: suite.server.url,
    });
    const newest = messageRow(ana.page, 'message 150');
    await newest.hover();
    await newest.getByRole('button', { name: /^Message actions/ }).click();
    await ana.page.getByRole('menuitem', { name: 'Copy link' }).click();
    await ana.page.getByRole('status').filter({ hasText: 'Link to the message copied.' }).waitFor();
    const copied = await ana.page.evaluate(() =>
      (globalThis as unknown as ClipboardWindow).navigator.clipboard.readText(),
    );
    const newestId = await newest.getAttribute('data-message-id');
    expect(copied).toBe(`${suite.server.url}/g/${groupId}?m=${newestId}`);

    // Opened again, the conversation shows its newest messages, not the first one.
    await messageRow(ben.page, 'message 150').waitFor({ timeout: UI_TIMEOUT });
    await ben.page.reload();
    await messageRow(ben.page, 'message 150').waitFor({ timeout: UI_TIMEOUT });
    expect(await messageRow(ben.page, 'the very first message').count()).toBe(0);
    // A link to the first message: far above what the list has on the page.
    await ben.page.goto(`${suite.server.url}/g/${groupId}?m=${first.id}`);
    const oldest = messageRow(ben.page, 'the very first message');
    await oldest.waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => ben.page.url()).toBe(`${suite.server.url}/g/${groupId}`);
    const list = (await chatHistory(ben.page).boundingBox())!;
    const row = (await oldest.boundingBox())!;
    expect(row.y).toBeGreaterThanOrEqual(list.y - 1);
    expect(row.y + row.height).toBeLessThanOrEqual(list.y + list.height + 1);

    // The copied link, sent in a message, opens in the same tab.
    await ben.page.getByRole('button', { name: 'Jump to newest' }).click();
    const box = ana.page.getByRole('textbox', { name: 'Message' });
    await box.fill(`see ${copied}`);
    await box.press('Enter');
    const pagesBefore = ben.context.pages().length;
    await ben.page.getByRole('link', { name: copied }).click();
    await expect.poll(() => ben.page.url()).toBe(`${suite.server.url}/g/${groupId}`);
    expect(ben.context.pages().length).toBe(pagesBefore);
    expect([...ana.pageErrors, ...ben.pageErrors]).toEqual([]);
  });
});
