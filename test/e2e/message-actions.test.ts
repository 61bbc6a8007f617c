// What members do to messages after sending them, between two browser contexts on the real
// server: reactions (toggled from the menu and from the chip), an edit (shown as edited,
// also after a reload, and when made offline, where logging out warns of it), a reply that
// quotes its message, and a deletion that removes the message for both. The menu only
// offers what the relay allows: a member may not delete another member's message, the
// group's owner may; the owner pins messages, which members find marked and listed under
// "Pinned". The menu works from the keyboard, and ArrowUp in an empty composer edits my
// last message. A conversation that is not open gets a fresh sidebar preview when its last
// message is edited or deleted, and a file whose message is deleted before it was uploaded
// never goes out.
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import {
  UI_TIMEOUT,
  chatHistory,
  conversationLink,
  goOfflineSeen,
  goOnline,
  messageRow,
  messageTexts,
  sendMessage,
} from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { storedUpdates } from '../utils/local-store.js';
import { attachFiles } from '../utils/attachment-ui.js';
import { makePdf } from '../fixtures/sample-files.js';

const suite = useBrowserSuite();

/** Opens the actions menu of the row (its button shows on hover) and returns the menu. */
async function openMenu(row: Locator): Promise<Locator> {
  await row.hover();
  await row.getByRole('button', { name: /^Message actions/ }).click();
  const menu = row.page().getByRole('menu');
  await menu.waitFor();
  return menu;
}

function menuItem(menu: Locator, name: string): Locator {
  return menu.getByRole('menuitem', { name, exact: true });
}

function reaction(row: Locator, emoji: string): Locator {
  return row.getByRole('group', { name: 'Reactions' }).getByRole('button', {
    name: new RegExp(`^${emoji} `),
  });
}

async function edit(page: Page, row: Locator, text: string): Promise<void> {
  await (await openMenu(row)).getByRole('menuitem', { name: 'Edit' }).click();
  const box = page.getByRole('textbox', { name: 'Edit message' });
  await box.fill(text);
  await box.press('Enter');
  await box.waitFor({ state: 'detached' });
}

describe('message actions', () => {
  it('reacts, edits, replies and deletes, and both members see it', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Actions', 'first draft');

    // Ben reacts from the menu; both see one 👍 by Ben, pressed only on his screen.
    await (
      await openMenu(messageRow(ben.page, 'first draft'))
    )
      .getByRole('menuitem', { name: 'React with 👍' })
      .click();
    const onAna = reaction(messageRow(ana.page, 'first draft'), '👍');
    await onAna.and(ana.page.getByRole('button', { name: '👍 1: Ben' })).waitFor();
    expect(await onAna.getAttribute('aria-pressed')).toBe('false');
    const onBen = reaction(messageRow(ben.page, 'first draft'), '👍');
    expect(await onBen.getAttribute('aria-pressed')).toBe('true');
    // Ana adds hers with the chip; Ben takes his back with his.
    await onAna.click();
    await ben.page.getByRole('button', { name: '👍 2: you, Ana' }).waitFor();
    await onBen.click();
    await ana.page.getByRole('button', { name: '👍 1: you' }).waitFor();

    // Ben searches for a word that is not there yet.
    await ben.page.getByRole('button', { name: 'Search messages' }).click();
    const search = ben.page.getByRole('searchbox', { name: 'Search this conversation' });
    await search.fill('final');
    const searchStatus = ben.page.getByRole('status').filter({ hasText: /match/ });
    await searchStatus.filter({ hasText: 'No messages match.' }).waitFor();

    // Ana edits her message: Ben sees the new text, marked as edited, and his open search
    // finds it (and no longer finds the old text).
    await edit(ana.page, messageRow(ana.page, 'first draft'), 'final text');
    const edited = messageRow(ben.page, 'final text');
    await edited.getByText('(edited)').waitFor();
    await messageRow(ben.page, 'first draft').waitFor({ state: 'detached' });
    await searchStatus.filter({ hasText: '1 match' }).waitFor();
    await search.fill('draft');
    await searchStatus.filter({ hasText: 'No messages match.' }).waitFor();
    await search.press('Escape');
    await search.waitFor({ state: 'detached' });

    // Ben replies to it: the composer says what he answers, the reply quotes it for both.
    await (await openMenu(edited)).getByRole('menuitem', { name: 'Reply' }).click();
    await ben.page.getByRole('status').filter({ hasText: 'Replying to Ana: final text' }).waitFor();
    await sendMessage(ben.page, 'agreed');
    const quote = 'Reply to Ana: final text. Show that message';
    await messageRow(ana.page, 'agreed').getByRole('button', { name: quote }).waitFor();
    expect(await ben.page.getByText('Replying to Ana').count()).toBe(0);

    // A member cannot delete someone else's message; the group's owner can.
    const benMenu = await openMenu(messageRow(ben.page, 'final text'));
    await menuItem(benMenu, 'Reply').waitFor();
    expect(await menuItem(benMenu, 'Delete').count()).toBe(0);
    await ben.page.keyboard.press('Escape');
    await benMenu.waitFor({ state: 'detached' });
    const anaMenu = await openMenu(messageRow(ana.page, 'agreed'));
    await menuItem(anaMenu, 'Delete').waitFor();
    await ana.page.keyboard.press('Escape');

    // Ana deletes her own message after confirming: gone for both, the quote says so.
    await (
      await openMenu(messageRow(ana.page, 'final text'))
    )
      .getByRole('menuitem', { name: 'Delete' })
      .click();
    await ana.page.getByRole('dialog', { name: 'Delete this message?' }).waitFor();
    await ana.page.getByRole('button', { name: 'Delete message' }).click();
    for (const page of [ana.page, ben.page]) {
      await messageRow(page, 'final text').waitFor({ state: 'detached' });
      await messageRow(page, 'agreed')
        .getByText('Reply to a message that is not available')
        .waitFor();
    }
    await expect.poll(() => messageTexts(ben.page), { timeout: UI_TIMEOUT }).toEqual(['agreed']);
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });

  it('lets the owner pin a message; members see it marked and listed under "Pinned"', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Pins', 'the plan');
    await sendMessage(ben.page, 'a detail');
    await messageRow(ana.page, 'a detail').waitFor();

    // Ben is a plain member: his menu offers no Pin (the relay would refuse it).
    const benMenu = await openMenu(messageRow(ben.page, 'the plan'));
    await menuItem(benMenu, 'Reply').waitFor();
    expect(await menuItem(benMenu, 'Pin').count()).toBe(0);
    await ben.page.keyboard.press('Escape');
    await benMenu.waitFor({ state: 'detached' });

    // Ana, the owner, pins her message: Ben sees it marked and a "Pinned" button.
    await menuItem(await openMenu(messageRow(ana.page, 'the plan')), 'Pin').click();
    await messageRow(ben.page, 'the plan').getByText('(pinned)').waitFor();
    await ben.page.getByRole('button', { name: 'Pinned messages: 1' }).click();
    const panel = ben.page.getByRole('region', { name: 'Pinned messages' });
    const item = panel.getByRole('button', { name: /the plan/ });
    expect(await item.textContent()).toContain('pinned by Ana');
    expect(await panel.getByRole('button', { name: /^Unpin/ }).count()).toBe(0);
    // Choosing it shows and marks the message.
    await item.click();
    await expect
      .poll(() => messageRow(ben.page, 'the plan').getAttribute('class'), { timeout: UI_TIMEOUT })
      .toContain('search-hit');

    // Ana unpins it from her list; it is gone from Ben's screen too.
    await ana.page.getByRole('button', { name: 'Pinned messages: 1' }).click();
    await ana.page
      .getByRole('region', { name: 'Pinned messages' })
      .getByRole('button', { name: 'Unpin: the plan' })
      .click();
    await ben.page.getByRole('button', { name: /^Pinned messages/ }).waitFor({ state: 'detached' });
    await messageRow(ben.page, 'the plan').getByText('(pinned)').waitFor({ state: 'detached' });
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });

  it('keeps an edit made offline and sends it on reconnect; the menu works by keyboard', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Offline edits', 'see you at 5');

    await goOfflineSeen(ana);
    const before = await storedUpdates(ana.page);
    await edit(ana.page, messageRow(ana.page, 'see you at 5'), 'see you at 6');
    // Still only on this device: once IndexedDB has it (a write still on its way when the
    // page is torn down is the browser's to lose), a reload offline shows it.
    await expect
      .poll(() => storedUpdates(ana.page), { timeout: UI_TIMEOUT })
      .toBeGreaterThan(before);
    await ana.page.reload();
    await messageRow(ana.page, 'see you at 6').getByText('(edited)').waitFor();
    // Logging out now would lose it: the app says so.
    await ana.page.getByRole('button', { name: 'Log out' }).click();
    const dialog = ana.page.getByRole('dialog', { name: 'Unsent messages' });
    await dialog.getByText('Offline edits: 1 edit or deletion').waitFor();
    await dialog.getByRole('button', { name: 'Stay signed in' }).click();
    await goOnline(ana.context);
    await messageRow(ben.page, 'see you at 6').getByText('(edited)').waitFor();

    // Keyboard: rows are focusable; Tab from one reaches its actions button. Enter opens
    // the menu, arrows move, Escape closes it and focus comes back.
    const row = messageRow(ben.page, 'see you at 6');
    const button = row.getByRole('button', { name: /^Message actions/ });
    const focused = ben.page.locator(':focus');
    await row.focus();
    await ben.page.keyboard.press('Tab');
    await button.and(focused).waitFor();
    await ben.page.keyboard.press('Enter');
    const menu = ben.page.getByRole('menu');
    await menu.waitFor();
    await ben.page.keyboard.press('ArrowRight');
    await menuItem(menu, 'React with ❤️').and(focused).waitFor();
    await ben.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    await button.and(focused).waitFor();
    await ben.page.keyboard.press('Enter');
    await ben.page.keyboard.press('Enter'); // the first item: 👍
    await ana.page.getByRole('button', { name: '👍 1: Ben' }).waitFor();

    // ArrowUp in Ana's empty composer edits her last message.
    const composer = ana.page.getByRole('textbox', { name: 'Message' });
    await composer.press('ArrowUp');
    const box = ana.page.getByRole('textbox', { name: 'Edit message' });
    expect(await box.inputValue()).toBe('see you at 6');
    await box.fill('see you at 7');
    await box.press('Enter');
    await messageRow(ben.page, 'see you at 7').getByText('(edited)').waitFor();
  });

  it('updates the sidebar preview of a conversation that is not open when its last message changes', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Preview', 'old news');
    // A fresh page on the home screen: the group is not open, so only the event channel
    // can tell Ben's sidebar what changed.
    await ben.page.goto(new URL('/', suite.server.url).href);
    const link = conversationLink(ben.page, 'Preview');
    await link.filter({ hasText: 'old news' }).waitFor();

    await edit(ana.page, messageRow(ana.page, 'old news'), 'new news');
    await link.filter({ hasText: 'new news' }).waitFor();

    await sendMessage(ana.page, 'a slip');
    await link.filter({ hasText: 'a slip' }).waitFor();
    await (
      await openMenu(messageRow(ana.page, 'a slip'))
    )
      .getByRole('menuitem', { name: 'Delete' })
      .click();
    await ana.page.getByRole('button', { name: 'Delete message' }).click();
    await link.filter({ hasText: 'new news' }).waitFor();
    expect(await link.textContent()).not.toContain('a slip');
  });

  it('drops the queued upload of a file whose message is deleted before it went out', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Second thoughts', 'hello');
    await goOfflineSeen(ana);
    // Counts the file's items in the attachment list after every change to the page: its
    // "Checking…" item gives way to the queued one, and the file is never listed twice.
    await ana.page.evaluate(`window.mostListed = 0;
      new MutationObserver(() => {
        const n = document.querySelectorAll('.pending-upload').length;
        window.mostListed = Math.max(window.mostListed, n);
      }).observe(document.body, { childList: true, subtree: true });`);
    await attachFiles(ana.page, [
      { name: 'draft.pdf', mimeType: 'application/pdf', buffer: makePdf() },
    ]);
    const queue = ana.page.getByRole('list', { name: 'Attachments being sent' });
    await queue.getByRole('listitem', { name: 'draft.pdf', exact: true }).waitFor();
    expect(await ana.page.evaluate('window.mostListed')).toBe(1);
    const row = chatHistory(ana.page).getByRole('article').filter({ hasText: 'draft.pdf' });
    await (await openMenu(row)).getByRole('menuitem', { name: 'Delete' }).click();
    await ana.page.getByRole('button', { name: 'Delete message' }).click();
    await row.waitFor({ state: 'detached' });
    await queue.waitFor({ state: 'detached' });

    await goOnline(ana.context);
    await ana.page.getByRole('status', { name: 'Connection: Synced' }).waitFor();
    await sendMessage(ana.page, 'never mind');
    await messageRow(ben.page, 'never mind').waitFor();
    expect(await chatHistory(ben.page).getByText('draft.pdf').count()).toBe(0);
    expect(await messageTexts(ben.page)).toEqual(['hello', 'never mind']);
  });

  it('closes an open editor when the list is rebuilt under it, instead of editing another message', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Shifting rows', 'hello');
    await sendMessage(ben.page, 'ben was here');
    await messageRow(ana.page, 'ben was here').waitFor();
    await sendMessage(ana.page, 'ana one');
    await sendMessage(ana.page, 'ana two');
    await messageRow(ben.page, 'ana two').waitFor();
    // Ana opens the editor on her first message; Ben then deletes his message above it,
    // so each of Ana's rows now shows the message after the one it showed.
    await (
      await openMenu(messageRow(ana.page, 'ana one'))
    )
      .getByRole('menuitem', { name: 'Edit' })
      .click();
    const box = ana.page.getByRole('textbox', { name: 'Edit message' });
    await box.fill('ana one, edited');
    await (
      await openMenu(messageRow(ben.page, 'ben was here'))
    )
      .getByRole('menuitem', { name: 'Delete' })
      .click();
    await ben.page.getByRole('button', { name: 'Delete message' }).click();
    await messageRow(ana.page, 'ben was here').waitFor({ state: 'detached' });
    await box.waitFor({ state: 'detached' });
    expect(await messageTexts(ana.page)).toEqual(['hello', 'ana one', 'ana two']);
  });
});
