// Browser helpers for the e2e tests: Debian's Chromium through playwright-core, one browser
// per test file and one context per user, all closed by the cleanup the factory registers.
// Everything waits through Playwright's auto-waiting locators or polling, never a fixed sleep.
import { chromium } from 'playwright-core';
import type {
  Browser,
  BrowserContext,
  BrowserContextOptions,
  Locator,
  Page,
  Route,
} from 'playwright-core';
import { registerCleanup } from './cleanup.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Generous, because the machine running the suite may be busy with other work. */
export const UI_TIMEOUT = 30_000;
export const PASSWORD = 'correct horse battery staple';

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** One Chromium for the whole test file, closed after the file's tests. */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS });
  registerCleanup(() => browser.close(), { scope: 'file' });
  return browser;
}

export interface AppUser {
  /** display name, as the app shows it ("Ana") */
  name: string;
  username: string;
  email: string;
  context: BrowserContext;
  page: Page;
  /** uncaught exceptions in the user's pages (a test can assert there were none) */
  pageErrors: string[];
}

let counter = 0;

/** A username unique within the file's server ("ana3k9x1"); the server's rules: a-z, 0-9. */
export function uniqueUsername(displayName: string): string {
  counter += 1;
  return `${displayName.toLowerCase()}${counter}${Date.now().toString(36).slice(-4)}`;
}

/** A fresh browser context (a separate user); closed when the current test ends. */
export async function newUserContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 }, ...options });
  registerCleanup(() => context.close());
  context.setDefaultTimeout(UI_TIMEOUT);
  const pageErrors: string[] = [];
  context.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)));
  const page = await context.newPage();
  return { context, page, pageErrors };
}

/** Signs a new user up through the sign-up form; resolves on the signed-in sidebar. */
export async function signUp(browser: Browser, baseUrl: string, name: string): Promise<AppUser> {
  return signUpIn(await newUserContext(browser), baseUrl, name);
}

type UserTab = Pick<AppUser, 'context' | 'page' | 'pageErrors'>;

/** Signs up in a context made by the caller. */
export async function signUpIn(tab: UserTab, baseUrl: string, name: string): Promise<AppUser> {
  const { page } = tab;
  const username = uniqueUsername(name);
  const email = `${username}@example.com`;
  await page.goto(`${baseUrl}/`);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Display name (optional)').fill(name);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('button', { name: 'New group' }).waitFor();
  return { name, username, email, ...tab };
}

/** Creates a group through the "New group" dialog, picking members by user search. */
export async function createGroup(
  owner: AppUser,
  title: string,
  members: AppUser[],
): Promise<void> {
  const { page } = owner;
  await page.getByRole('button', { name: 'New group' }).click();
  await page.getByLabel('Group name').fill(title);
  for (const member of members) {
    await page.getByRole('searchbox', { name: 'Add people' }).fill(member.username);
    await page.getByRole('button', { name: `Add ${member.name}` }).click();
    await page.getByRole('button', { name: `Remove ${member.name}` }).waitFor();
  }
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByRole('heading', { name: title, exact: true }).waitFor();
}

/** Opens "New message" and searches for `other`; resolves with their "Message …" button. */
export async function findPerson(page: Page, other: AppUser): Promise<Locator> {
  await page.getByRole('button', { name: 'New message' }).click();
  await page.getByRole('searchbox', { name: 'Find a person' }).fill(other.username);
  const button = page.getByRole('button', { name: `Message ${other.name}` });
  await button.waitFor();
  return button;
}

/**
 * `user` looks `other` up once while online (so the profile is in the cached directory), then
 * goes offline and starts a DM with them: a stand-in on the device. Resolves with its
 * "Created on this device." banner, which goes away once the real DM replaced it.
 */
export async function startDmOffline(user: AppUser, other: AppUser): Promise<Locator> {
  await findPerson(user.page, other);
  await user.page.getByRole('button', { name: 'Close' }).click();
  await goOffline(user.context);
  await user.page.getByRole('status', { name: 'Connection: Offline' }).waitFor();
  await (await findPerson(user.page, other)).click();
  await user.page.getByRole('heading', { name: other.name, exact: true }).waitFor();
  const standIn = user.page.getByText('Created on this device.');
  await standIn.waitFor();
  return standIn;
}

/** The sidebar link of a conversation; its name is "<title>[, N unread][, online]". */
export function conversationLink(page: Page, title: string): Locator {
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page
    .getByRole('navigation', { name: 'Conversations' })
    .getByRole('link', { name: new RegExp(`^${escaped}(,|$)`) });
}

export async function openConversation(page: Page, title: string): Promise<void> {
  await conversationLink(page, title).click();
  await page.getByRole('heading', { name: title, exact: true }).waitFor();
}

export function chatHistory(page: Page): Locator {
  return page.getByRole('log', { name: 'Chat history' });
}

/** The message row (role article) whose text is exactly `text`. */
export function messageRow(page: Page, text: string): Locator {
  return chatHistory(page)
    .getByRole('article')
    .filter({ has: page.getByText(text, { exact: true }) });
}

/** Types into the composer and sends with Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await messageRow(page, text).waitFor();
}

// The test project has no DOM lib: the few browser-side callbacks type what they touch.
interface RowElement {
  getBoundingClientRect(): { top: number };
  querySelector(selector: string): { textContent: string | null } | null;
}
interface ServiceWorkerWindow {
  navigator: { serviceWorker: { ready: Promise<{ active: { state: string } | null }> } };
}

/** Texts of the message rows on screen, in list order (the list is virtualized: few rows). */
export async function messageTexts(page: Page): Promise<string[]> {
  return chatHistory(page)
    .getByRole('article')
    .evaluateAll((rows: RowElement[]) =>
      rows
        .map((row) => ({
          top: row.getBoundingClientRect().top,
          text: row.querySelector('.message-text')?.textContent ?? '',
        }))
        .sort((a, b) => a.top - b.top)
        .map((r) => r.text),
    );
}

/** Resolves once the page's service worker is active (the shell is precached by then). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => {
      const reg = await (globalThis as unknown as ServiceWorkerWindow).navigator.serviceWorker
        .ready;
      return reg.active?.state === 'activated';
    },
    undefined,
    { timeout: UI_TIMEOUT },
  );
}

// Offline = context.setOffline (pages' network, WebSockets, navigator.onLine and its events)
// plus aborting every routed request as a second guard (Playwright issue #2311: setOffline
// and service workers). Answers the service worker serves from its cache are not routed, so
// the precached shell still loads.
const abortOffline = (route: Route): Promise<void> => route.abort('internetdisconnected');

export async function goOffline(context: BrowserContext): Promise<void> {
  await context.route('**/*', abortOffline);
  await context.setOffline(true);
}

/** Takes the user's network away and waits until the app shows it is offline. */
export async function goOfflineSeen(user: Pick<AppUser, 'context' | 'page'>): Promise<void> {
  await goOffline(user.context);
  await user.page.getByRole('status', { name: 'Connection: Offline' }).waitFor();
}

export async function goOnline(context: BrowserContext): Promise<void> {
  await context.unroute('**/*', abortOffline);
  await context.setOffline(false);
}
