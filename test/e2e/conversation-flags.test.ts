// A person's own flags of a conversation, on every device of theirs and on no one else's.
// The star in a conversation's header lists it first in the sidebar, under "Starred"; a
// star changed with no network shows at once and reaches the server (and the other
// devices) on reconnect. "Mark as unread" leaves the conversation, which shows as unread
// until it is opened again; others' read receipts do not change. "Mark all as read" reads
// every conversation, and the read receipts follow.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AppUser } from '../utils/browser.js';
import {
  PASSWORD,
  conversationLink,
  messageRow,
  sendMessage,
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

/** Ana's second device: a new context logged in as her. */
async function secondDevice(ana: AppUser): Promise<Page> {
  const tab = await newUserContext(suite.browser);
  await tab.page.goto(`${suite.server.url}/`);
  await tab.page.getByLabel('Username or email').fill(ana.username);
  await tab.page.getByLabel('Password').fill(PASSWORD);
  await tab.page.getByRole('button', { name: 'Log in' }).click();
  await tab.page.getByRole('button', { name: 'New group' }).waitFor();
  return tab.page;
}

describe('starred conversations', () => {
  it('come first on all of my devices, also when starred offline', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Alpha');
    await createGroup(ana, 'Beta', [ben]);
    await waitForServiceWorker(ana.page); // so that she can reload with no network
    await expect.poll(() => sections(ana.page)).toEqual({ all: ['Beta', 'Alpha'] });

    const tab = { page: await secondDevice(ana), pageErrors: [] as string[] };
    tab.page.on('pageerror', (e) => tab.pageErrors.push(e.message));
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

  it('marks a read conversation unread until it is opened again, on every device', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Plans');
    await openConversation(ben.page, 'Plans');
    await sendMessage(ben.page, 'shall we meet on Friday?');
    await messageRow(ana.page, 'shall we meet on Friday?').waitFor();
    const status = messageRow(ben.page, 'shall we meet on Friday?').getByLabel(/^Status:/);
    await expect
      .poll(() => status.getAttribute('aria-label'), { timeout: UI_TIMEOUT })
      .toMatch(/^Status: Read by all/);
    const other = await secondDevice(ana);
    await conversationLink(other, 'Plans').waitFor();

    await ana.page.getByRole('button', { name: 'Mark as unread' }).click();
    await expect.poll(() => new URL(ana.page.url()).pathname).toBe('/');
    await ana.page.getByRole('link', { name: 'Plans, marked unread' }).waitFor();
    await expect.poll(() => ana.page.title()).toBe('(1) Canopy');
    await other.getByRole('link', { name: 'Plans, marked unread' }).waitFor();
    // Ana's read marker did not move: Ben's message is still read by all.
    expect(await status.getAttribute('aria-label')).toMatch(/^Status: Read by all/);

    // Opening it (here on the other device) reads it again, everywhere.
    await openConversation(other, 'Plans');
    await expect
      .poll(() => conversationLink(ana.page, 'Plans').getAttribute('aria-label'), {
        timeout: UI_TIMEOUT,
      })
      .toBe('Plans');
    await expect.poll(() => ana.page.title()).toBe('Canopy');
    expect([...ana.pageErrors, ...ben.pageErrors]).toEqual([]);
  });

  it('reads every conversation with "Mark all as read"', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Plans');
    await createGroup(ana, 'Trips', [ben]);
    await createGroup(ana, 'Quiet', [ben]);
    await ana.page.goto(`${suite.server.url}/`);
    await conversationLink(ana.page, 'Quiet').waitFor();
    for (const title of ['Plans', 'Trips']) {
      await openConversation(ben.page, title);
      await sendMessage(ben.page, `news in ${title}`);
    }
    await ana.page.getByRole('link', { name: 'Plans, 1 unread' }).waitFor();
    await ana.page.getByRole('link', { name: 'Trips, 1 unread' }).waitFor();
    // "Quiet" has nothing unread, but Ana marked it so.
    await openConversation(ana.page, 'Quiet');
    await ana.page.getByRole('button', { name: 'Mark as unread' }).click();
    await ana.page.getByRole('link', { name: 'Quiet, marked unread' }).waitFor();
    await expect.poll(() => ana.page.title()).toBe('(3) Canopy');

    // The sidebar offers it; Shift+Escape from anywhere does it.
    await ana.page.getByRole('button', { name: 'Mark all as read' }).waitFor();
    await ana.page.keyboard.press('Shift+Escape');
    for (const title of ['Plans', 'Trips', 'Quiet']) {
      await expect
        .poll(() => conversationLink(ana.page, title).getAttribute('aria-label'), {
          timeout: UI_TIMEOUT,
        })
        .toBe(title);
    }
    await expect.poll(() => ana.page.title()).toBe('Canopy');
    expect(await ana.page.getByRole('button', { name: 'Mark all as read' }).count()).toBe(0);
    // Ben's messages were read: the receipts follow the read markers.
    const status = messageRow(ben.page, 'news in Trips').getByLabel(/^Status:/);
    await expect
      .poll(() => status.getAttribute('aria-label'), { timeout: UI_TIMEOUT })
      .toMatch(/^Status: Read by all/);
    expect([...ana.pageErrors, ...ben.pageErrors]).toEqual([]);
  });
});
