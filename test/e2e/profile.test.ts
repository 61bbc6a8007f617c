// Profiles in the browser, against the real server: a picture picked at sign-up is made into
// a 256×256 avatar on the device and shown to others (member picker, message rows); a new
// display name and picture reach the other user at once; the picture can be changed and
// removed; a password change refuses a wrong current password, logs out the other devices,
// keeps this one signed in, and only the new password logs in afterwards; the list of
// devices where I am signed in signs another one out. Also the signed-in
// app's start: a file queued offline goes out on reconnect from the home screen, with its
// conversation never opened again.
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { makePng } from '../fixtures/sample-files.js';
import { attachFiles, loadedImage } from '../utils/attachment-ui.js';
import type { LoadedImage, Upload } from '../utils/attachment-ui.js';
import type { AppUser } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { blobCacheUrls, localDataOf, myUserId } from '../utils/local-store.js';
import {
  PASSWORD,
  UI_TIMEOUT,
  chatHistory,
  goOfflineSeen,
  goOnline,
  messageRow,
  newUserContext,
  openConversation,
  sendMessage,
  uniqueUsername,
  waitForServiceWorker,
} from '../utils/browser.js';

const suite = useBrowserSuite();

const picture = (seed: number): Upload => ({
  name: `me-${seed}.png`,
  mimeType: 'image/png',
  buffer: makePng(600, 400, seed),
});

/** The picture of the (one) avatar inside `scope`, once loaded. */
const loadedAvatar = (scope: Locator): Promise<LoadedImage> =>
  loadedImage(scope.locator('img.avatar-image'));

const myAvatar = (page: Page): Locator => page.getByRole('link', { name: 'Profile' });

/** Signs up through the form with a picture; resolves on the signed-in sidebar. */
async function signUpWithPicture(
  name: string,
  file: Upload,
  tab?: Pick<AppUser, 'context' | 'page' | 'pageErrors'>,
): Promise<AppUser> {
  tab ??= await newUserContext(suite.browser);
  const { page } = tab;
  const username = uniqueUsername(name);
  const email = `${username}@example.com`;
  await page.goto(`${suite.server.url}/signup`);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Display name (optional)').fill(name);
  await page.getByLabel('Avatar (optional)').setInputFiles(file);
  const preview = await loadedImage(page.getByRole('img', { name: 'Avatar preview' }));
  expect(preview.naturalWidth).toBe(256);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('button', { name: 'New group' }).waitFor();
  return { name, username, email, ...tab };
}

async function openProfile(page: Page): Promise<void> {
  await myAvatar(page).click();
  await page.getByRole('heading', { name: 'Profile', exact: true }).waitFor();
}

describe('profiles', () => {
  it('shows the picture picked at sign-up to others, in the member picker and messages', async () => {
    const ana = await signUpWithPicture('Ana', picture(1));
    // Made on the device: a 256×256 square, served from the content-addressed blob store.
    const own = await loadedAvatar(myAvatar(ana.page));
    expect(own.src).toMatch(/\/api\/blobs\/[0-9a-f]{64}$/);
    expect([own.naturalWidth, own.naturalHeight]).toEqual([256, 256]);

    const ben = await suite.signUp('Ben');
    await ben.page.getByRole('button', { name: 'New group' }).click();
    await ben.page.getByLabel('Group name').fill('Faces');
    await ben.page.getByRole('searchbox', { name: 'Add people' }).fill(ana.username);
    const result = ben.page
      .getByRole('list', { name: 'Search results' })
      .getByRole('listitem')
      .filter({ has: ben.page.getByRole('button', { name: 'Add Ana' }) });
    expect((await loadedAvatar(result)).src).toBe(own.src);
    await ben.page.getByRole('button', { name: 'Add Ana' }).click();
    await ben.page.getByRole('button', { name: 'Create group' }).click();
    await ben.page.getByRole('heading', { name: 'Faces', exact: true }).waitFor();

    await openConversation(ana.page, 'Faces');
    await sendMessage(ana.page, 'hello from my picture');
    const row = messageRow(ben.page, 'hello from my picture');
    await row.waitFor();
    expect((await loadedAvatar(row)).src).toBe(own.src);
    // Ben has none: initials, no image request.
    await sendMessage(ben.page, 'no picture here');
    const benRow = messageRow(ana.page, 'no picture here');
    await benRow.locator('.avatar').filter({ hasText: 'B' }).waitFor();
    expect(await benRow.locator('img.avatar-image').count()).toBe(0);
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });

  it('keeps the account when the picture cannot be uploaded, and says so', async () => {
    const tab = await newUserContext(suite.browser);
    // The upload finds no server (as when the connection drops right after signing up).
    await tab.page.route('**/api/me/avatar', (route) => route.abort('connectionrefused'));
    const ana = await signUpWithPicture('Ana', picture(3), tab);
    await ana.page
      .getByRole('status')
      .filter({ hasText: 'Your account is ready, but your picture was not saved' })
      .waitFor();
    expect(await myAvatar(ana.page).locator('img').count()).toBe(0);
    await ana.page.getByRole('button', { name: 'Dismiss message' }).click();
    await ana.page.getByRole('button', { name: 'Dismiss message' }).waitFor({ state: 'detached' });
    await tab.page.unroute('**/api/me/avatar');
    expect(ana.pageErrors).toEqual([]);
  });

  it('saves name, email and picture; the other user sees each change at once', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Names');
    await sendMessage(ana.page, 'who am I');
    await openConversation(ben.page, 'Names');
    await messageRow(ben.page, 'who am I').getByText('Ana', { exact: true }).waitFor();

    await openProfile(ana.page);
    const details = ana.page.getByRole('form', { name: 'Name and email' });
    // Refusals, each with a sentence: a taken email (server), a malformed one (device).
    await details.getByLabel('Email').fill(ben.email);
    await details.getByRole('button', { name: 'Save profile' }).click();
    await details
      .getByRole('alert')
      .filter({ hasText: 'An account with that email already exists.' })
      .waitFor();
    await details.getByLabel('Email').fill('not an email');
    await details.getByRole('button', { name: 'Save profile' }).click();
    await details.getByRole('alert').filter({ hasText: 'Enter a valid email address.' }).waitFor();

    await details.getByLabel('Email').fill(`new-${ana.email}`);
    await details.getByLabel('Display name').fill('Anabel');
    await details.getByRole('button', { name: 'Save profile' }).click();
    await details.getByRole('status').filter({ hasText: 'Profile saved.' }).waitFor();
    await ana.page.locator('.sidebar-me').getByText('Anabel', { exact: true }).waitFor();
    const me = await ana.page.evaluate(async () => {
      const g = globalThis as unknown as {
        fetch(u: string): Promise<{ json(): Promise<{ user: { email: string } }> }>;
      };
      return (await (await g.fetch('/api/me')).json()).user;
    });
    expect(me.email).toBe(`new-${ana.email}`);

    // Ben's open conversation follows through the event channel, without a reload.
    await messageRow(ben.page, 'who am I').getByText('Anabel', { exact: true }).waitFor();

    // The picture: set, then removed; the sidebar follows each answer.
    const section = ana.page.getByRole('region', { name: 'Picture' });
    await section.getByLabel('Change picture').setInputFiles(picture(2));
    await section.getByRole('status').filter({ hasText: 'Picture saved.' }).waitFor();
    await loadedAvatar(myAvatar(ana.page));
    await loadedAvatar(messageRow(ben.page, 'who am I'));
    await section.getByRole('button', { name: 'Remove picture' }).click();
    await section.getByRole('status').filter({ hasText: 'Picture removed.' }).waitFor();
    await myAvatar(ana.page).locator('img').waitFor({ state: 'detached' });
    await messageRow(ben.page, 'who am I')
      .locator('img.avatar-image')
      .waitFor({ state: 'detached' });
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });

  it('shows a name changed while this device was away once the app starts again', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Away');
    await openConversation(ben.page, 'Away');
    await sendMessage(ben.page, 'from ben');
    await messageRow(ana.page, 'from ben').getByText('Ben', { exact: true }).waitFor();

    // Ana's app is closed (no event channel) while Ben renames himself.
    const groupUrl = ana.page.url();
    await ana.page.close();
    const renamed = await ben.page.evaluate(async () => {
      const g = globalThis as unknown as {
        fetch(u: string, init: unknown): Promise<{ status: number }>;
      };
      const res = await g.fetch('/api/me', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: 'Benedict' }),
      });
      return res.status;
    });
    expect(renamed).toBe(200);

    // Started again, the app has Ben's old profile in its cache; it fetches the new one.
    const page = await ana.context.newPage();
    await page.goto(groupUrl);
    await messageRow(page, 'from ben').getByText('Benedict', { exact: true }).waitFor();
    expect(ana.pageErrors).toEqual([]);
  });

  it('lists where I am signed in and signs another device out from there', async () => {
    const ana = await suite.signUp('Ana');
    const { other, onOther } = await secondDevice(ana);

    await openProfile(ana.page);
    const devices = ana.page.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem');
    await expect.poll(() => devices.count(), { timeout: UI_TIMEOUT }).toBe(2);
    // Headless Chromium reads as Chrome; this device is marked and cannot sign itself out.
    expect(await devices.first().textContent()).toMatch(/^Chrome on Linux/);
    const mine = devices.filter({ hasText: 'this device' });
    expect(await mine.count()).toBe(1);
    expect(await mine.getByRole('button').count()).toBe(0);

    await devices
      .filter({ hasNotText: 'this device' })
      .getByRole('button', { name: /^Sign out Chrome on Linux/ })
      .click();
    // It asks first: the device also forgets Ana's data.
    const confirm = ana.page.getByRole('dialog', { name: 'Sign out Chrome on Linux?' });
    await confirm.getByRole('button', { name: 'Sign out', exact: true }).click();
    // The other device is signed out at once and keeps nothing of Ana; the list shrinks.
    await other.page.getByRole('heading', { name: 'Log in to Canopy' }).waitFor();
    await expect.poll(onOther).toBe(0);
    await expect.poll(() => devices.count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await ana.page.getByRole('button', { name: 'Log out' }).count()).toBe(1);
    expect(ana.pageErrors).toEqual([]);
  });

  it('changes the password: the current one is checked, other devices log out', async () => {
    const { ana } = await suite.twoUsersInGroup('Keys');
    await sendMessage(ana.page, 'before the change');
    // Ana's second device, signed in with the old password.
    const { other, onOther } = await secondDevice(ana);

    await openProfile(ana.page);
    const form = ana.page.getByRole('form', { name: 'Password' });
    const fill = async (current: string, next: string, confirm: string): Promise<void> => {
      await form.getByLabel('Current password').fill(current);
      await form.getByLabel('New password', { exact: true }).fill(next);
      await form.getByLabel('Confirm new password').fill(confirm);
      await form.getByRole('button', { name: 'Change password' }).click();
    };
    const newPassword = 'a brand new passphrase';
    await fill('not my password', newPassword, newPassword);
    await form.getByRole('alert').filter({ hasText: 'Your current password is wrong.' }).waitFor();
    await fill(PASSWORD, newPassword, 'a brand new typo');
    await form
      .getByRole('alert')
      .filter({ hasText: 'The new password and its confirmation differ.' })
      .waitFor();
    await fill(PASSWORD, newPassword, newPassword);
    // The shell starts again with the fresh session; a notice says what happened.
    await ana.page.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();

    // The other device is logged out at once, and keeps nothing of Ana; this one stays in
    // and keeps syncing.
    await other.page.getByRole('heading', { name: 'Log in to Canopy' }).waitFor();
    await expect.poll(onOther).toBe(0);
    await openConversation(ana.page, 'Keys');
    await sendMessage(ana.page, 'after the change');
    await messageRow(ana.page, 'after the change').getByLabel('Status: On the server').waitFor();
    expect(await ana.page.getByRole('button', { name: 'Log out' }).count()).toBe(1);

    // Only the new password logs in.
    await ana.page.getByRole('button', { name: 'Log out' }).click();
    await ana.page.getByRole('heading', { name: 'Log in to Canopy' }).waitFor();
    await logIn(ana.page, ana.username, PASSWORD, 'Wrong username, email or password.');
    await logIn(ana.page, ana.username, newPassword);
    expect(ana.pageErrors).toEqual([]);
  });
});

describe('logging out', () => {
  it('drops the cached pictures and files, so the next person on the device cannot open them', async () => {
    const ana = await signUpWithPicture('Ana', picture(7));
    await waitForServiceWorker(ana.page);
    // Reloaded, the page is the service worker's: the avatar goes through its blob cache.
    await ana.page.reload();
    const own = await loadedAvatar(myAvatar(ana.page));
    const cachedUrls = (): Promise<string[]> => blobCacheUrls(ana.page);
    await expect.poll(cachedUrls).toContain(own.src);

    await ana.page.getByRole('button', { name: 'Log out' }).click();
    await ana.page.getByRole('heading', { name: 'Log in to Canopy' }).waitFor();
    await expect.poll(cachedUrls).toEqual([]);
    expect(ana.pageErrors).toEqual([]);
  });
});

describe('signed-in app start', () => {
  it('sends a file queued offline on reconnect from the home screen, after a reload', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Later');
    await openConversation(ben.page, 'Later');
    // The offline reload below needs the shell from the service worker's precache.
    await waitForServiceWorker(ana.page);

    await goOfflineSeen(ana);
    await attachFiles(ana.page, {
      name: 'later.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('sent from the home screen\n'),
    });
    await ana.page
      .getByRole('list', { name: 'Attachments being sent' })
      .getByRole('listitem', { name: 'later.txt' })
      .getByLabel('Status: On this device')
      .waitFor();

    // Home screen, reloaded: no conversation screen is open from here on.
    await ana.page.goto(`${suite.server.url}/`);
    await ana.page.getByText('Pick a conversation, or start a new one.').waitFor();
    await goOnline(ana.context);
    await chatHistory(ben.page).getByRole('link', { name: 'Download later.txt' }).waitFor();
    expect(new URL(ana.page.url()).pathname).toBe('/');
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });
});

/** The user signed in on a second device; `onOther`: how many of their records it holds. */
async function secondDevice(user: AppUser): Promise<{
  other: Awaited<ReturnType<typeof newUserContext>>;
  onOther: () => Promise<number>;
}> {
  const other = await newUserContext(suite.browser);
  await logIn(other.page, user.username, PASSWORD);
  const id = await myUserId(other.page);
  const onOther = async (): Promise<number> => (await localDataOf(other.page, id)).records.length;
  await expect.poll(onOther).toBeGreaterThan(0);
  return { other, onOther };
}

/** Logs in through the form; with `refused`, expects that alert instead of the app. */
async function logIn(page: Page, login: string, password: string, refused?: string): Promise<void> {
  if (!page.url().includes('/login')) await page.goto(`${suite.server.url}/login`);
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  if (refused) await page.getByRole('alert').filter({ hasText: refused }).waitFor();
  else await page.getByRole('button', { name: 'New group' }).waitFor();
}
