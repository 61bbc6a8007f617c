// The installable shell and the session in the browser: the service worker precaches the app so
// a load with the network off still shows it and its data; bad credentials get a clear message;
// logging out in one tab sends the other tab of the same browser to the login screen.
import { describe, expect, it } from 'vitest';
import {
  PASSWORD,
  conversationLink,
  createGroup,
  goOffline,
  messageRow,
  newUserContext,
  openConversation,
  sendMessage,
  waitForServiceWorker,
} from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

describe('service worker', () => {
  it('shows the app and its data on a second load with the network off', async () => {
    const cleo = await suite.signUp('Cleo');
    await createGroup(cleo, 'Notes', []);
    await sendMessage(cleo.page, 'kept on this device');
    await messageRow(cleo.page, 'kept on this device')
      .getByLabel('Status: On the server')
      .waitFor();
    await waitForServiceWorker(cleo.page);

    await goOffline(cleo.context);
    const second = await cleo.context.newPage();
    await second.goto(`${suite.server.url}/`);
    // The document came from the precache: the worker controls this page.
    expect(await second.evaluate('navigator.serviceWorker.controller !== null')).toBe(true);
    await second.getByRole('status', { name: 'Connection: Offline' }).waitFor();
    await openConversation(second, 'Notes');
    await messageRow(second, 'kept on this device').waitFor();
    expect(cleo.pageErrors).toEqual([]);
  });

  it('cannot load at all offline without the service worker (the control case)', async () => {
    const { page } = await newUserContext(suite.browser, { serviceWorkers: 'block' });
    await page.goto(`${suite.server.url}/`);
    await page.getByRole('heading', { name: 'Log in to Canopy' }).waitFor();
    await goOffline(page.context());
    await expect(page.reload()).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
  });
});

describe('session', () => {
  it('explains a wrong password and logs in with the right one', async () => {
    const dan = await suite.signUp('Dan');
    await dan.page.getByRole('button', { name: 'Log out' }).click();
    await dan.page.getByRole('heading', { name: 'Log in to Canopy' }).waitFor();

    await dan.page.getByLabel('Username or email').fill(dan.username);
    await dan.page.getByLabel('Password', { exact: true }).fill(`${PASSWORD} nope`);
    await dan.page.getByRole('button', { name: 'Log in' }).click();
    await dan.page
      .getByRole('alert')
      .filter({ hasText: 'Wrong username, email or password.' })
      .waitFor();
    expect(await dan.page.getByRole('button', { name: 'New group' }).count()).toBe(0);

    await dan.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await dan.page.getByRole('button', { name: 'Log in' }).click();
    await dan.page.getByRole('button', { name: 'New group' }).waitFor();
    expect(await dan.page.getByRole('alert').count()).toBe(0);
  });

  it('rejects a taken username on sign-up with a clear message', async () => {
    const eve = await suite.signUp('Eve');
    const { page } = await newUserContext(suite.browser);
    await page.goto(`${suite.server.url}/`);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Username', { exact: true }).fill(eve.username);
    await page.getByLabel('Email', { exact: true }).fill(`other-${eve.email}`);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('alert').filter({ hasText: 'That username is taken.' }).waitFor();
    await page.getByRole('heading', { name: 'Create your Canopy account' }).waitFor();
  });

  it('sends the other tab to the login screen when one tab logs out', async () => {
    const fay = await suite.signUp('Fay');
    await createGroup(fay, 'Plans', []);
    const other = await fay.context.newPage();
    await other.goto(`${suite.server.url}/`);
    await conversationLink(other, 'Plans').waitFor();

    await other.getByRole('button', { name: 'Log out' }).click();
    await other.getByRole('heading', { name: 'Log in to Canopy' }).waitFor();
    await fay.page.getByRole('heading', { name: 'Log in to Canopy' }).waitFor();
    expect(await fay.page.getByRole('heading', { name: 'Plans' }).count()).toBe(0);
    // The session really ended on the server, not just on screen.
    const me = await fay.page.evaluate(async () => (await fetch('/api/me')).status);
    expect(me).toBe(401);
  });
});
