// A message with a web link shows a card with the linked page's site, title and
// description, as the server read them, to its author and its readers; a link into the app
// itself and a page without a title show none. (The server here may read pages on
// 127.0.0.1: LINK_PREVIEWS=all.)
import { describe, expect, it } from 'vitest';
import { messageRow, sendMessage } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { startFakeSite } from '../utils/fake-site.js';

const suite = useBrowserSuite({ env: { LINK_PREVIEWS: 'all' } });

describe('link previews', () => {
  it('shows the linked page’s title and description under the message', async () => {
    const site = await startFakeSite();
    const { ana, ben } = await suite.twoUsersTalking('Links', 'hello');
    const untitled = `nothing to see at ${site.url}/nothing`;
    const inApp = `our settings: ${suite.server.url}/profile`;
    const article = `release notes: ${site.url}/article`;
    const asked: string[] = [];
    const answered: Promise<unknown>[] = [];
    for (const user of [ana, ben]) {
      user.page.on('request', (r) => {
        if (r.url().includes('/api/link-preview')) asked.push(r.url());
      });
      const nothing = encodeURIComponent(`${site.url}/nothing`);
      answered.push(
        user.page.waitForResponse((r) => r.url().endsWith(`/api/link-preview?url=${nothing}`)),
      );
    }
    for (const text of [untitled, inApp, article]) await sendMessage(ana.page, text);
    // Both apps had their answer about the untitled page (404) before the cards are read.
    await Promise.all(answered);

    for (const user of [ana, ben]) {
      const card = messageRow(user.page, article).getByRole('link', {
        name: /Release 2\.0 & what changed/,
      });
      await card.waitFor();
      expect(await card.textContent()).toBe(
        'Canopy BlogRelease 2.0 & what changedFaster sync, starred conversations and more.',
      );
      expect(await card.getAttribute('href')).toBe(`${site.url}/article`);
      expect(await card.getAttribute('rel')).toBe('noopener noreferrer');
      // No card for the untitled page (answered above) or the app's own link (never asked).
      expect(await messageRow(user.page, untitled).locator('.link-preview').count()).toBe(0);
      expect(await messageRow(user.page, inApp).locator('.link-preview').count()).toBe(0);
    }
    // The server read each page once for both readers; the app's own link was never asked.
    expect(asked.filter((url) => url.includes(encodeURIComponent('/profile')))).toEqual([]);
    expect(asked).toHaveLength(4);
    expect(site.hits.get('/article')).toBe(1);
    expect(site.hits.get('/nothing')).toBe(1);
    expect([...ana.pageErrors, ...ben.pageErrors]).toEqual([]);
  });
});
