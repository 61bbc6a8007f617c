// System notifications and the unread total: with permission granted, a new message in a
// group that is not on screen raises a notification naming the group and the author (never
// the text); clicking it opens the group; the tab title carries the unread total. A muted
// group raises nothing and leaves the total, except for a message that mentions me; the
// mute holds across a reload and my other tabs follow it. An edit raises nothing, unless
// it mentions me where the text before it did not.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AppUser } from '../utils/browser.js';
import {
  conversationLink,
  createGroup,
  messageRow,
  newUserContext,
  openConversation,
  sendMessage,
  signUpIn,
  UI_TIMEOUT,
} from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

interface Shown {
  title: string;
  body: string | undefined;
  tag: string | undefined;
}

// The page's Notification, typed here because the tests compile without the DOM library.
interface PageNotification {
  onclick: ((event: unknown) => void) | null;
}
interface NotificationOptionsLike {
  body?: string;
  tag?: string;
}
type NotificationClass = new (title: string, options?: NotificationOptionsLike) => PageNotification;

/** Records every notification the page creates (the real constructor still runs). */
function recordNotifications(): void {
  const w = globalThis as unknown as {
    Notification: NotificationClass;
    shownNotifications: { title: string; body?: string; tag?: string; n: PageNotification }[];
  };
  w.shownNotifications = [];
  const Real = w.Notification;
  class Recording extends Real {
    constructor(title: string, options?: NotificationOptionsLike) {
      super(title, options);
      const entry: (typeof w.shownNotifications)[number] = { title, n: this };
      if (options?.body !== undefined) entry.body = options.body;
      if (options?.tag !== undefined) entry.tag = options.tag;
      w.shownNotifications.push(entry);
    }
  }
  w.Notification = Recording;
}

function shown(page: Page): Promise<Shown[]> {
  return page.evaluate(() =>
    (
      globalThis as unknown as {
        shownNotifications: { title: string; body?: string; tag?: string }[];
      }
    ).shownNotifications.map(({ title, body, tag }) => ({ title, body, tag })),
  );
}

/** Ana, and Ben, who allowed notifications (every one his pages make is recorded). */
async function anaAndBen(): Promise<{ ana: AppUser; ben: AppUser }> {
  const ana = await suite.signUp('Ana');
  const tab = await newUserContext(suite.browser);
  await tab.context.grantPermissions(['notifications'], { origin: suite.server.url });
  await tab.context.addInitScript(recordNotifications);
  return { ana, ben: await signUpIn(tab, suite.server.url, 'Ben') };
}

describe('notifications', () => {
  it('notifies about messages in a group not on screen and opens it on click', async () => {
    const { ana, ben } = await anaAndBen();
    await createGroup(ana, 'Alerts', [ben]);
    await createGroup(ana, 'Elsewhere', [ben]);
    // Ben looks at another group; "Alerts" is not on screen.
    await openConversation(ben.page, 'Elsewhere');

    await openConversation(ana.page, 'Alerts');
    await sendMessage(ana.page, 'secret plans');
    await expect.poll(() => shown(ben.page)).toHaveLength(1);
    const [note] = await shown(ben.page);
    expect(note?.title).toBe('Alerts');
    expect(note?.body).toBe('New message from Ana');
    expect(note?.body).not.toContain('secret');
    await expect.poll(() => ben.page.title()).toBe('(1) Canopy');

    // Clicking the notification opens the group, which reads the message.
    await ben.page.evaluate(() => {
      const w = globalThis as unknown as { shownNotifications: { n: PageNotification }[] };
      w.shownNotifications[0]?.n.onclick?.({ type: 'click' });
    });
    await ben.page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
    await messageRow(ben.page, 'secret plans').waitFor();
    await expect.poll(() => ben.page.title()).toBe('Canopy');

    // The group on screen in a visible tab raises nothing.
    await sendMessage(ana.page, 'second');
    await messageRow(ben.page, 'second').waitFor();
    expect(await shown(ben.page)).toHaveLength(1);
    expect(ben.pageErrors).toEqual([]);
  });

  it('stays quiet about a muted group unless I am mentioned', async () => {
    const { ana, ben } = await anaAndBen();
    await createGroup(ana, 'Quiet', [ben]);
    const quietId = new URL(ana.page.url()).pathname.split('/')[2];
    await createGroup(ana, 'Elsewhere', [ben]);

    // Ben mutes "Quiet" from its header, then looks at another group.
    await openConversation(ben.page, 'Quiet');
    const control = ben.page.getByRole('combobox', { name: 'Notifications' });
    await control.selectOption({ label: 'Mute for 8 hours' });
    await expect
      .poll(() => control.evaluate((el) => (el as unknown as { value: string }).value), {
        timeout: UI_TIMEOUT,
      })
      .toBe('muted');
    expect(await control.locator('option:checked').textContent()).toMatch(/^Muted until /);
    await conversationLink(ben.page, 'Quiet')
      .and(ben.page.getByRole('link', { name: 'Quiet, muted' }))
      .waitFor();
    await openConversation(ben.page, 'Elsewhere');

    // A message arrives (the sidebar counts it) but raises no notification and stays out
    // of the title.
    await openConversation(ana.page, 'Quiet');
    await sendMessage(ana.page, 'hush');
    await ben.page.getByRole('link', { name: 'Quiet, 1 unread, muted' }).waitFor();
    expect(await ben.page.title()).toBe('Canopy');
    expect(await shown(ben.page)).toEqual([]);

    // A mention still gets through, and the group then counts in the title.
    await sendMessage(ana.page, `@${ben.username} one thing`);
    await expect.poll(() => shown(ben.page), { timeout: UI_TIMEOUT }).toHaveLength(1);
    expect((await shown(ben.page))[0]?.body).toBe('Ana mentioned you');
    await ben.page.getByRole('link', { name: 'Quiet, 2 unread, mentioned you, muted' }).waitFor();
    await expect.poll(() => ben.page.title(), { timeout: UI_TIMEOUT }).toBe('(2) Canopy');

    // The mute is the server's: a reload still has it.
    await ben.page.reload();
    await ben.page.getByRole('link', { name: /^Quiet, .*muted$/ }).waitFor();

    // A second tab unmutes; the first follows through the event channel.
    const second = await ben.context.newPage();
    await second.goto(`${suite.server.url}/`);
    await openConversation(second, 'Quiet');
    await second.getByRole('combobox', { name: 'Notifications' }).selectOption({ label: 'Unmute' });
    // (Opening it there read it, so only "muted" is sure to change in the label.)
    await expect
      .poll(() => conversationLink(ben.page, 'Quiet').getAttribute('aria-label'), {
        timeout: UI_TIMEOUT,
      })
      .not.toContain('muted');
    await second.close();

    // A timed mute ends by itself (here one made through the API, 1.5 s long).
    const status = await ben.page.evaluate(async (id) => {
      const res = await fetch(`/api/groups/${id}/mute`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ until: Date.now() + 1500 }),
      });
      return res.status;
    }, quietId);
    expect(status).toBe(200);
    await expect
      .poll(() => conversationLink(ben.page, 'Quiet').getAttribute('aria-label'), {
        timeout: UI_TIMEOUT,
      })
      .toContain('muted');
    await expect
      .poll(() => conversationLink(ben.page, 'Quiet').getAttribute('aria-label'), {
        timeout: UI_TIMEOUT,
      })
      .not.toContain('muted');

    // Unmuted again: a plain message notifies.
    await sendMessage(ana.page, 'loud again');
    await expect.poll(() => shown(ben.page), { timeout: UI_TIMEOUT }).toHaveLength(1); // the reload reset the record
    expect((await shown(ben.page))[0]?.body).toBe('New message from Ana');
    expect(ben.pageErrors).toEqual([]);
  });

  it('says nothing about an edit, unless the edit newly mentions me', async () => {
    const { ana, ben } = await anaAndBen();
    await createGroup(ana, 'Edits', [ben]);
    await createGroup(ben, 'Elsewhere', [ana]);
    await openConversation(ana.page, 'Edits');
    await sendMessage(ana.page, 'lunch?');
    await expect.poll(() => shown(ben.page), { timeout: UI_TIMEOUT }).toHaveLength(1);

    const edit = async (text: string): Promise<void> => {
      await ana.page.getByRole('textbox', { name: 'Message' }).press('ArrowUp');
      const box = ana.page.getByRole('textbox', { name: 'Edit message' });
      await box.fill(text);
      await box.press('Enter');
      await messageRow(ana.page, text).waitFor();
    };
    await edit('lunch today?');
    await edit(`lunch today, @${ben.username}?`);
    // Only the second edit notified: had the first one, this would be the third.
    await expect.poll(() => shown(ben.page), { timeout: UI_TIMEOUT }).toHaveLength(2);
    const [, second] = await shown(ben.page);
    expect([second?.title, second?.body]).toEqual(['Edits', 'Ana mentioned you']);
    // The same mention again (a typo fixed) is no news.
    await edit(`lunch today, @${ben.username}? 12:30`);
    await sendMessage(ana.page, 'see you');
    await expect.poll(() => shown(ben.page), { timeout: UI_TIMEOUT }).toHaveLength(3);
    expect((await shown(ben.page))[2]?.body).toBe('New message from Ana');
    expect(ben.pageErrors).toEqual([]);
  });
});
