// Starred conversations: the star in a conversation's header lists it first in the sidebar,
// under "Starred", on every device of that person and on no one else's. A star changed
// with no network shows at once and reaches the server (and the other devices) on
// reconnect.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  PASSWORD,
  conversationLink,
  createGroup,
  goOfflineSeen,
  goOnline,
  newUserContext,
  openConversation,
  UI_TIMEOUT,
  waitForServiceWorker,
} from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

/** The sidebar's sections and the conversations in each, in order. */
async function sections(page: Page): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const lists = page.getByRole('navigation', { name: 'Conversations' }).locator('ul');
  for (const list of await lists.all()) {
    const heading = await list.getAttribute('aria-labelledby');
    const name = heading ? ((await page.locator(`#${heading}`).textContent()) ?? '?') : 'all';
    out[name.trim()] = await list.locator('.group-item-name').allTextContents();
  }
  return out;
}

const starButton = (page: Page) =>
  page.locator('.conversation-header').getByRole('button', { name: 'Star' });

describe('starred conversations', () => {
  it('come first on all of my devices, also when starred offline', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Alpha');
    await createGroup(ana, 'Beta', [ben]);
    await waitForServiceWorker(ana.page); // so that she can reload with no network
    await expect.poll(() => sections(ana.page)).toEqual({ all: ['Beta', 'Alpha'] });

    // Ana's second device.
    const tab = await newUserContext(suite.browser);
    await tab.page.goto(`${suite.server.url}/`);
    await tab.page.getByLabel('Username or email').fill(ana.username);
    await tab.page.getByLabel('Password').fill(PASSWORD);
    await tab.page.getByRole('button', { name: 'Log in' }).click();
    await conversationLink(tab.page, 'Alpha').waitFor();

    await openConversation(ana.page, 'Alpha');
    expect(await starButton(ana.page).getAttribute('aria-pressed')).toBe('false');
    await starButton(ana.page).click();
    expect(await starButton(ana.page).getAttribute('aria-pressed')).toBe('true');
    const starredAlpha = { Starred: ['Alpha'], Recent: ['Beta'] };
    await expect.poll(() => sections(ana.page)).toEqual(starredAlpha);
    await expect.poll(() => sections(tab.page), { timeout: UI_TIMEOUT }).toEqual(starredAlpha);
    // Ben's list knows nothing of Ana's star.
    await expect.poll(() => sections(ben.page)).toEqual({ all: ['Beta', 'Alpha'] });

    // Offline: unstar Alpha, star Beta. Both show at once and survive a reload.
    await goOfflineSeen(ana);
    await starButton(ana.page).click();
    await openConversation(ana.page, 'Beta');
    await starButton(ana.page).click();
    const starredBeta = { Starred: ['Beta'], Recent: ['Alpha'] };
    await expect.poll(() => sections(ana.page)).toEqual(starredBeta);
    await ana.page.reload();
    await conversationLink(ana.page, 'Alpha').waitFor();
    await expect.poll(() => sections(ana.page)).toEqual(starredBeta);
    // The other device has not heard of it yet.
    expect(await sections(tab.page)).toEqual(starredAlpha);

    await goOnline(ana.context);
    await expect.poll(() => sections(tab.page), { timeout: UI_TIMEOUT }).toEqual(starredBeta);
    // What the server now holds is what a fresh start shows.
    await tab.page.reload();
    await conversationLink(tab.page, 'Alpha').waitFor();
    await expect.poll(() => sections(tab.page), { timeout: UI_TIMEOUT }).toEqual(starredBeta);

    // A filter shows one list of the matches.
    await ana.page.getByRole('searchbox', { name: 'Find a conversation' }).fill('alp');
    await expect.poll(() => sections(ana.page)).toEqual({ all: ['Alpha'] });
    expect([...ana.pageErrors, ...ben.pageErrors, ...tab.pageErrors]).toEqual([]);
  });
});
