// "Forgot your password?" in the browser, on a server that sends email (to a local SMTP
// server) and knows its public origin: the link on the log-in page, the emailed link, a new
// password that ends the session of the app still open elsewhere, a log-in with it, and the
// used link refused. The code leaves the address bar as the page opens. The same server
// also emails an invite link, which signs a guest up.
import { describe, expect, it } from 'vitest';
import { newUserContext } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { startFakeSmtp } from '../utils/fake-smtp.js';
import { freePort } from '../utils/start-server.js';

const smtp = await startFakeSmtp();
const port = await freePort();
const suite = useBrowserSuite({
  env: { SMTP_URL: smtp.url, PORT: String(port), PUBLIC_ORIGIN: `http://127.0.0.1:${port}` },
});

describe('password reset', () => {
  it('sets a new password from an emailed link, and signs a guest up from an emailed invite', async () => {
    const ana = await suite.signUp('Ana');
    const { page, pageErrors } = await newUserContext(suite.browser);
    await page.goto(`${suite.server.url}/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(ana.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `If an account uses ${ana.email}` })
      .waitFor();

    const mail = await smtp.mailTo(ana.email);
    const link = /(http:\S+\/reset-password\?code=[\w-]{43})/.exec(mail.text)?.[1];
    expect(link).toBeDefined();
    await page.goto(link!);
    await page.getByLabel('New password', { exact: true }).waitFor();
    expect(page.url()).toBe(`${suite.server.url}/reset-password`);
    await page.getByLabel('New password', { exact: true }).fill('a fresh passphrase');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor();

    // Ana's open app was signed out; the new password logs in.
    await ana.page.getByRole('button', { name: 'Log in' }).waitFor();
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByLabel('Username or email').fill(ana.username);
    await page.getByLabel('Password').fill('a fresh passphrase');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'New group' }).waitFor();

    // The link worked once.
    const later = await newUserContext(suite.browser);
    await later.page.goto(link!);
    await later.page.getByLabel('New password', { exact: true }).fill('another passphrase');
    await later.page.getByRole('button', { name: 'Set the new password' }).click();
    await later.page.getByRole('alert').filter({ hasText: 'expired or was used' }).waitFor();

    // Ana, the server's admin, sends an invite by email; it signs a guest up.
    await page.getByRole('link', { name: 'Administration' }).click();
    await page
      .getByLabel('Who can create an account')
      .selectOption({ label: 'People with an invite link' });
    await page.getByRole('status').filter({ hasText: 'People with an invite link' }).waitFor();
    await page.getByLabel('Send to (optional)').fill('guest@example.test');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    await page.getByRole('status').filter({ hasText: 'sent to guest@example.test' }).waitFor();
    const invite = await smtp.mailTo('guest@example.test');
    const inviteLink = /(http:\S+\/signup\?invite=[\w-]{43})/.exec(invite.text)?.[1];
    await later.page.goto(inviteLink!);
    await later.page.getByText('You are signing up with an invite.').waitFor();
    await later.page.getByLabel('Username', { exact: true }).fill('guest');
    await later.page.getByLabel('Email', { exact: true }).fill('guest@example.test');
    await later.page.getByLabel('Password', { exact: true }).fill('a guest passphrase');
    await later.page.getByRole('button', { name: 'Sign up' }).click();
    await later.page.getByRole('button', { name: 'New group' }).waitFor();
    expect([...ana.pageErrors, ...pageErrors, ...later.pageErrors]).toEqual([]);
  });
});
