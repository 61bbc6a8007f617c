// The message list's scroll position: at the bottom it follows new messages (sent or
// received); scrolled up, messages arriving below leave what is on screen where it is, and
// "Jump to newest" goes back to the bottom. Messages that were unread when a conversation
// opened start below a "New messages" line, with a button that shows it while it is off
// screen.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chatHistory, messageRow, openConversation, sendMessage } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

/** Posts through the message API from `page` (its session), one message after the other. */
async function post(page: Page, groupId: string, texts: string[]): Promise<void> {
  await page.evaluate(
    async ({ groupId, texts }) => {
      for (const text of texts) {
        const res = await fetch(`/api/groups/${groupId}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text }),
        });
        if (res.status !== 201) throw new Error(`post failed: ${res.status}`);
      }
    },
    { groupId, texts },
  );
}

/** Where a row is relative to the list's visible box, px (top edges and bottom edges). */
async function placement(page: Page, text: string): Promise<{ top: number; bottom: number }> {
  const list = await chatHistory(page).boundingBox();
  const row = await messageRow(page, text).boundingBox();
  if (!list || !row) throw new Error(`no box for ${text}`);
  return { top: row.y - list.y, bottom: list.y + list.height - (row.y + row.height) };
}

/** Whole row inside the list's visible box, at its bottom (the newest message on screen). */
async function atBottom(page: Page, text: string): Promise<boolean> {
  const p = await placement(page, text);
  return p.top >= 0 && p.bottom >= -1 && p.bottom < 40;
}

const listHeight = (page: Page): Promise<string | null> =>
  chatHistory(page).getByRole('list').getAttribute('style');

describe('the message list', () => {
  it('follows new messages at the bottom and keeps its place when scrolled up', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Long thread');
    const groupId = new URL(ana.page.url()).pathname.split('/')[2]!;
    const jump = ana.page.getByRole('button', { name: 'Jump to newest' });

    await post(
      ben.page,
      groupId,
      Array.from({ length: 60 }, (_, i) => `early ${i + 1}`),
    );
    await messageRow(ana.page, 'early 60').waitFor();
    await expect.poll(() => atBottom(ana.page, 'early 60')).toBe(true);
    expect(await jump.isVisible()).toBe(false);

    // Scrolled up to an older message: the list lets go of the bottom.
    await messageRow(ana.page, 'early 20').scrollIntoViewIfNeeded();
    await jump.waitFor();
    const before = await placement(ana.page, 'early 20');
    const height = await listHeight(ana.page);

    // New messages arrive below: the list grows, what is on screen stays.
    await post(ben.page, groupId, ['late 1', 'late 2', 'late 3']);
    await expect.poll(() => listHeight(ana.page)).not.toBe(height);
    // (scroll positions are whole pixels, row heights need not be)
    await expect
      .poll(async () => Math.abs((await placement(ana.page, 'early 20')).top - before.top))
      .toBeLessThan(1);
    expect(await jump.isVisible()).toBe(true);

    await jump.click();
    await expect.poll(() => atBottom(ana.page, 'late 3')).toBe(true);
    await jump.waitFor({ state: 'hidden' });

    // At the bottom, a message sent and one received are each shown as the newest.
    await sendMessage(ana.page, 'back at the bottom');
    await expect.poll(() => atBottom(ana.page, 'back at the bottom')).toBe(true);
    await post(ben.page, groupId, ['a reply from Ben']);
    await messageRow(ana.page, 'a reply from Ben').waitFor();
    await expect.poll(() => atBottom(ana.page, 'a reply from Ben')).toBe(true);
    expect(ana.pageErrors).toEqual([]);
  });

  it('marks where the messages unread at opening start, and jumps there', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Catch up');
    const groupId = new URL(ana.page.url()).pathname.split('/')[2]!;
    await sendMessage(ana.page, 'read by ben');
    await openConversation(ben.page, 'Catch up');
    await messageRow(ben.page, 'read by ben').waitFor();
    // Never read before: it is new to Ben.
    const divider = ben.page.getByRole('separator', { name: 'New messages' });
    await divider.waitFor();

    // Ben leaves (a new start of the app); 40 messages come while he is away.
    await ben.page.goto(new URL('/', ben.page.url()).href);
    await post(
      ana.page,
      groupId,
      Array.from({ length: 40 }, (_, i) => `new ${i + 1}`),
    );
    await openConversation(ben.page, 'Catch up');
    await messageRow(ben.page, 'new 40').waitFor();
    // The newest are on screen; the line above the first new one is not: a button says so.
    const jump = ben.page.getByRole('button', { name: '40 new messages' });
    await jump.click();
    await divider.waitFor();
    await jump.waitFor({ state: 'hidden' });
    // The line sits right above the first message Ben had not read, which names its author
    // again (it would otherwise continue Ana's message above the line).
    const next = divider.locator('xpath=following-sibling::*[1]');
    expect(await next.getAttribute('aria-label')).toMatch(/^Ana at /);
    expect(await next.getByText('new 1', { exact: true }).count()).toBe(1);
    expect(await next.locator('.message-author').textContent()).toBe('Ana');
    expect(await ben.page.getByRole('separator', { name: 'New messages' }).count()).toBe(1);

    // Replying shows he caught up: the line goes, and live messages never bring it back.
    await sendMessage(ben.page, 'caught up');
    await divider.waitFor({ state: 'detached' });
    await post(ana.page, groupId, ['seen live']);
    await messageRow(ben.page, 'seen live').waitFor();
    expect(await divider.count()).toBe(0);
    expect(ben.pageErrors).toEqual([]);
  });
});
