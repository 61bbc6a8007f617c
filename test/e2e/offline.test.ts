// Local-first behaviour in the browser: messages written with the network off survive a
// reload or a closed and reopened tab (served by the service worker and IndexedDB) and reach
// the other user once, in order; a DM started offline is registered on reconnect and becomes
// the real DM on both sides.
import { describe, expect, it } from 'vitest';
import {
  UI_TIMEOUT,
  chatHistory,
  conversationLink,
  goOfflineSeen,
  goOnline,
  messageRow,
  messageTexts,
  openConversation,
  sendMessage,
  startDmOffline,
} from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { storedUpdates } from '../utils/local-store.js';

const suite = useBrowserSuite();

describe('offline', () => {
  it('keeps messages written offline across a reload and delivers them once, in order', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Trip', 'before');

    await goOfflineSeen(ana);
    const offline = ['offline one', 'offline two', 'offline three'];
    for (const text of offline) await sendMessage(ana.page, text);

    await ana.page.reload();
    await ana.page.getByRole('heading', { name: 'Trip', exact: true }).waitFor();
    await ana.page.getByRole('status', { name: 'Connection: Offline' }).waitFor();
    await expect
      .poll(() => messageTexts(ana.page), { timeout: UI_TIMEOUT })
      .toEqual(['before', ...offline]);
    for (const text of offline) {
      await messageRow(ana.page, text).getByLabel('Status: On this device').waitFor();
    }
    expect(await chatHistory(ben.page).getByText('offline one').count()).toBe(0);

    await goOnline(ana.context);
    await ana.page.getByRole('status', { name: 'Connection: Synced' }).waitFor();
    await messageRow(ben.page, 'offline three').waitFor();
    // Ben is viewing the group, so all three end up read; then nothing else may arrive.
    for (const text of offline) {
      await messageRow(ana.page, text).getByLabel('Status: Read by all').waitFor();
    }
    await expect
      .poll(() => messageTexts(ben.page), { timeout: UI_TIMEOUT })
      .toEqual(['before', ...offline]);
    // A second look after Ana's side settled: still exactly once each.
    await ana.page.reload();
    await messageRow(ana.page, 'offline three').getByLabel('Status: Read by all').waitFor();
    expect(await messageTexts(ben.page)).toEqual(['before', ...offline]);
    expect(await messageTexts(ana.page)).toEqual(['before', ...offline]);
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });

  it('sends what was written offline after the tab was closed and opened again', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Closed tab', 'online first');

    await goOfflineSeen(ana);
    const offline = ['written offline', 'then the tab closed'];
    const before = await storedUpdates(ana.page);
    for (const text of offline) await sendMessage(ana.page, text);
    // The tab closes once the device has stored both (a write still on its way to IndexedDB
    // when the renderer is torn down is the browser's to lose, not the app's).
    await expect
      .poll(() => storedUpdates(ana.page), { timeout: UI_TIMEOUT })
      .toBeGreaterThanOrEqual(before + offline.length);
    await ana.page.close();

    // A new tab, still without network: the shell comes from the service worker's precache,
    // the messages from IndexedDB.
    ana.page = await ana.context.newPage();
    await ana.page.goto(suite.server.url);
    await openConversation(ana.page, 'Closed tab');
    await expect
      .poll(() => messageTexts(ana.page), { timeout: UI_TIMEOUT })
      .toEqual(['online first', ...offline]);
    for (const text of offline) {
      await messageRow(ana.page, text).getByLabel('Status: On this device').waitFor();
    }

    await goOnline(ana.context);
    await ana.page.getByRole('status', { name: 'Connection: Synced' }).waitFor();
    for (const text of offline) {
      await messageRow(ana.page, text).getByLabel('Status: Read by all').waitFor();
    }
    await expect
      .poll(() => messageTexts(ben.page), { timeout: UI_TIMEOUT })
      .toEqual(['online first', ...offline]);
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });

  it('turns a DM created offline into the real DM on reconnect', async () => {
    const ana = await suite.signUp('Ana');
    const ben = await suite.signUp('Ben');
    const pending = await startDmOffline(ben, ana);
    await sendMessage(ben.page, 'dm while offline');
    await messageRow(ben.page, 'dm while offline').getByLabel('Status: On this device').waitFor();
    expect(await conversationLink(ana.page, 'Ben').count()).toBe(0);

    await goOnline(ben.context);
    // Ana gets the real DM through her event channel, with Ben's message in it.
    await openConversation(ana.page, 'Ben');
    await messageRow(ana.page, 'dm while offline').waitFor();
    // Ben is moved to the real DM: no stand-in banner, his message read by Ana.
    await pending.waitFor({ state: 'detached' });
    await messageRow(ben.page, 'dm while offline').getByLabel('Status: Read by all').waitFor();
    await sendMessage(ana.page, 'got it');
    await messageRow(ben.page, 'got it').waitFor();

    // One DM on each side, each message once.
    expect(await conversationLink(ana.page, 'Ben').count()).toBe(1);
    expect(await conversationLink(ben.page, 'Ana').count()).toBe(1);
    await expect
      .poll(() => messageTexts(ana.page), { timeout: UI_TIMEOUT })
      .toEqual(['dm while offline', 'got it']);
    await expect
      .poll(() => messageTexts(ben.page), { timeout: UI_TIMEOUT })
      .toEqual(['dm while offline', 'got it']);
    // The stand-in is gone for good: a reload shows the one real DM.
    await ben.page.reload();
    await ben.page.getByRole('heading', { name: 'Ana', exact: true }).waitFor();
    await messageRow(ben.page, 'got it').waitFor();
    expect(await conversationLink(ben.page, 'Ana').count()).toBe(1);
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });
});
