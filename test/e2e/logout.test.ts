// Logging out deletes the user's data from the device (group copies, cached records); with
// messages that have not reached the server, the app says so first and lets the user stay.
// A logout made offline is sent on the next start, so the old cookie cannot sign back in.
import { describe, expect, it } from 'vitest';
import type { Page, WebSocket } from 'playwright-core';
import {
  PASSWORD,
  UI_TIMEOUT,
  chatHistory,
  goOfflineSeen,
  goOnline,
  messageRow,
  messageTexts,
  openConversation,
  sendMessage,
  uniqueUsername,
  waitForServiceWorker,
} from '../utils/browser.js';
import type { AppUser } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { localDataOf, myUserId } from '../utils/local-store.js';

const suite = useBrowserSuite();

async function logIn(page: Page, user: AppUser): Promise<void> {
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'New group' }).waitFor();
}

const loginHeading = (page: Page) => page.getByRole('heading', { name: 'Log in to Canopy' });

describe('logout', () => {
  it('deletes the group copies and cached records of the user from the device', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Secrets');
    const anaId = await myUserId(ana.page);
    const benId = await myUserId(ben.page);
    await sendMessage(ana.page, 'private words');
    await messageRow(ana.page, 'private words').getByLabel('Status: On the server').waitFor();
    await openConversation(ben.page, 'Secrets');
    await messageRow(ben.page, 'private words').waitFor();
    const before = await localDataOf(ana.page, anaId);
    expect(before.databases.length).toBe(1);
    expect(before.records.length).toBeGreaterThan(0);

    // The server ends the session before it answers the logout, and closes this tab's group
    // socket with "session ended": that close can reach the app before the answer does (made
    // certain here by holding the answer until the socket closed, with the event channel,
    // whose own "session ended" says "on purpose", kept out). The app must still go on to
    // delete the data, not take the close for a session that merely expired.
    const sockets: WebSocket[] = [];
    ana.page.on('websocket', (ws) => {
      if (ws.url().includes('/sync/')) sockets.push(ws);
    });
    await ana.page.route('**/api/events', (route) => route.abort());
    await ana.page.reload();
    await ana.page.getByRole('status', { name: 'Connection: Synced' }).first().waitFor();
    await ana.page.route('**/api/auth/logout', async (route) => {
      const response = await route.fetch();
      const open = sockets.filter((ws) => !ws.isClosed());
      await Promise.all(open.map((ws) => ws.waitForEvent('close')));
      await route.fulfill({ response });
    });
    await ana.page.getByRole('button', { name: 'Log out' }).click();
    await loginHeading(ana.page).waitFor();
    await expect
      .poll(() => localDataOf(ana.page, anaId), { timeout: UI_TIMEOUT })
      .toEqual({ databases: [], records: [] });
    // Nothing was shown as unsent, and Ben's device is untouched.
    expect(await ana.page.getByRole('dialog').count()).toBe(0);
    expect((await localDataOf(ben.page, benId)).databases.length).toBe(1);

    // Everything comes back from the server on the next login.
    await logIn(ana.page, ana);
    await openConversation(ana.page, 'Secrets');
    await messageRow(ana.page, 'private words').waitFor();
    expect(ana.pageErrors).toEqual([]);
  });

  it('names what is unsent; staying sends it, logging out deletes it', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Drafts', 'sent online');
    const anaId = await myUserId(ana.page);

    await goOfflineSeen(ana);
    await sendMessage(ana.page, 'kept by staying');
    await ana.page.getByRole('button', { name: 'Log out' }).click();
    const dialog = ana.page.getByRole('dialog', { name: 'Unsent messages' });
    await dialog.getByText('Drafts: 1 message').waitFor();
    await dialog.getByRole('button', { name: 'Stay signed in' }).click();
    await dialog.waitFor({ state: 'detached' });
    await goOnline(ana.context);
    await messageRow(ben.page, 'kept by staying').waitFor();
    await messageRow(ana.page, 'kept by staying').getByLabel('Status: Read by all').waitFor();

    await goOfflineSeen(ana);
    await sendMessage(ana.page, 'deleted on purpose');
    await sendMessage(ana.page, 'this one too');
    await ana.page.getByRole('button', { name: 'Log out' }).click();
    await dialog.getByText('Drafts: 2 messages').waitFor();
    await dialog.getByRole('button', { name: 'Log out and delete them' }).click();
    await loginHeading(ana.page).waitFor();
    await expect
      .poll(() => localDataOf(ana.page, anaId), { timeout: UI_TIMEOUT })
      .toEqual({ databases: [], records: [] });

    // The server never heard the logout; a start with no network stays logged out, and the
    // first start online ends the session on the server instead of signing back in.
    await ana.page.reload();
    await loginHeading(ana.page).waitFor();
    await goOnline(ana.context);
    await ana.page.reload();
    await loginHeading(ana.page).waitFor();
    await expect
      .poll(() => ana.page.evaluate(`fetch('/api/me').then((r) => r.status)`), {
        timeout: UI_TIMEOUT,
      })
      .toBe(401);

    // A copy left on the device would show its messages before the sync even starts.
    await logIn(ana.page, ana);
    await openConversation(ana.page, 'Drafts');
    await ana.page.getByRole('status', { name: 'Connection: Synced' }).waitFor();
    await messageRow(ana.page, 'kept by staying').waitFor();
    expect(await messageTexts(ana.page)).toEqual(['sent online', 'kept by staying']);
    expect(await chatHistory(ben.page).getByText('deleted on purpose').count()).toBe(0);
    expect(await messageTexts(ben.page)).toEqual(['sent online', 'kept by staying']);
    expect(ana.pageErrors).toEqual([]);
  });

  it('keeps a session made after a logout that was made offline', async () => {
    const ana = await suite.signUp('Ana');
    await waitForServiceWorker(ana.page);
    await goOfflineSeen(ana);
    await ana.page.getByRole('button', { name: 'Log out' }).click();
    await loginHeading(ana.page).waitFor();

    // Back online in the same tab, someone signs up: that fresh session must survive the
    // logout still waiting to be sent.
    await goOnline(ana.context);
    await ana.page.getByRole('link', { name: 'Create an account' }).click();
    const username = uniqueUsername('Cleo');
    await ana.page.getByLabel('Username', { exact: true }).fill(username);
    await ana.page.getByLabel('Email', { exact: true }).fill(`${username}@example.com`);
    await ana.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await ana.page.getByRole('button', { name: 'Sign up' }).click();
    await ana.page.getByRole('button', { name: 'New group' }).waitFor();
    await ana.page.reload();
    await ana.page.getByRole('button', { name: 'New group' }).waitFor();
    expect(
      await ana.page.evaluate(
        `fetch('/api/me').then((r) => r.json()).then((b) => b.user.username)`,
      ),
    ).toBe(username);
    expect(ana.pageErrors).toEqual([]);
  });
});
