// The device's copy of a group in IndexedDB under a burst: 560 messages posted one by one
// through the message API reach the open conversation, which stays on the newest message.
// The copy's update log (one record per update, as y-indexeddb stores them) is folded into
// one snapshot when the tab is hidden, not in the middle of a visible conversation, where
// folding a big group's document blocks the page (~0.3 s at 100k messages). After the fold,
// a reload with no network shows the conversation from the folded copy, at the newest message.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { messageRow, waitForServiceWorker } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { storedUpdates } from '../utils/local-store.js';

const suite = useBrowserSuite();
const MESSAGES = 560; // past y-indexeddb's fold size of 500 updates

/** What the browser does when the user switches to another tab or app. */
function hideTab(page: Page): Promise<void> {
  return page.evaluate(`(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  })()`);
}

describe('the local copy of a group', () => {
  it('follows a burst, folds its update log while hidden, and reopens from the fold offline', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Busy group');
    const groupId = new URL(ana.page.url()).pathname.split('/')[2]!;
    // Ben's integration posts through the message API: one update per message on Ana's side.
    const posted = await ben.page.evaluate(
      `(async () => {
        const post = (i) => fetch('/api/groups/${groupId}/messages', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: 'note ' + i }),
        }).then((r) => r.status);
        // One at a time: each arrives as its own update (the relay merges concurrent ones).
        const statuses = [];
        for (let i = 1; i <= ${MESSAGES}; i++) statuses.push(await post(i));
        return statuses.filter((s) => s === 201).length;
      })()`,
    );
    expect(posted).toBe(MESSAGES);
    await messageRow(ana.page, `note ${MESSAGES}`).waitFor();
    expect(await storedUpdates(ana.page)).toBeGreaterThan(500);

    await hideTab(ana.page);
    await expect.poll(() => storedUpdates(ana.page), { timeout: 20_000 }).toBeLessThanOrEqual(2);

    // From the folded copy alone: no network, so nothing can come from the server.
    await waitForServiceWorker(ana.page);
    await ana.context.setOffline(true);
    await ana.page.reload();
    await messageRow(ana.page, `note ${MESSAGES}`).waitFor();
    expect(ana.pageErrors).toEqual([]);
  });
});
