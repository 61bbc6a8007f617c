// System notifications and the unread total: with permission granted, a new message in a
// group that is not on screen raises a notification naming the group and the author (never
// the text); clicking it opens the group; the tab title carries the unread total.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  createGroup,
  messageRow,
  newUserContext,
  openConversation,
  sendMessage,
  signUpIn,
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

describe('notifications', () => {
  it('notifies about messages in a group not on screen and opens it on click', async () => {
    const ana = await suite.signUp('Ana');
    const tab = await newUserContext(suite.browser);
    await tab.context.grantPermissions(['notifications'], { origin: suite.server.url });
    await tab.context.addInitScript(recordNotifications);
    const ben = await signUpIn(tab, suite.server.url, 'Ben');
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
});
