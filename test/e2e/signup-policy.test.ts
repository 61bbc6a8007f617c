// Who may sign up, in the browser: the admin makes sign-up invite-only and creates an
// invite link for two accounts. One person pastes the link into the sign-up form, another
// opens it; a third finds it used up, and the form without an invite is refused. The admin's
// list shows the invite used up, and once sign-up is closed the sign-up page says so and
// the log-in page no longer offers it. An invite's code leaves the address bar.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newUserContext, PASSWORD, uniqueUsername } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

/** Fills the sign-up form already on screen with a new user's details and submits it. */
async function submitSignup(page: Page): Promise<void> {
  const username = uniqueUsername('Guest');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Email', { exact: true }).fill(`${username}@example.com`);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
}

describe('sign-up policy', () => {
  it('takes new accounts by invite link, and none once closed', async () => {
    const root = await suite.signUp('Root');
    const admin = root.page;
    await admin.getByRole('link', { name: 'Administration' }).click();
    const policy = admin.getByLabel('Who can create an account');
    await expect.poll(() => policy.inputValue()).toBe('open');
    await policy.selectOption({ label: 'People with an invite link' });
    await admin.getByRole('status').filter({ hasText: 'People with an invite link' }).waitFor();

    await admin.getByLabel('Accounts').fill('2');
    await admin.getByRole('button', { name: 'Create invite link' }).click();
    const shared = admin.getByLabel('Invite link to share');
    await shared.waitFor();
    const link = await shared.inputValue();
    expect(link).toMatch(new RegExp(`^${suite.server.url}/signup\\?invite=[\\w-]{43}$`));

    // Without an invite the form is refused; with the link pasted it goes through.
    const first = await newUserContext(suite.browser);
    await first.page.goto(`${suite.server.url}/signup`);
    await first.page.getByLabel('Invite link').waitFor();
    await submitSignup(first.page);
    await first.page.getByRole('alert').filter({ hasText: 'by invite only' }).waitFor();
    await first.page.getByLabel('Invite link').fill(link);
    await first.page.getByRole('button', { name: 'Sign up' }).click();
    await first.page.getByRole('button', { name: 'New group' }).waitFor();

    // Opening the link: no field to fill, the invite is already there.
    const second = await newUserContext(suite.browser);
    await second.page.goto(link);
    await second.page.getByText('You are signing up with an invite.').waitFor();
    expect(second.page.url()).toBe(`${suite.server.url}/signup`);
    await submitSignup(second.page);
    await second.page.getByRole('button', { name: 'New group' }).waitFor();

    const third = await newUserContext(suite.browser);
    await third.page.goto(link);
    await submitSignup(third.page);
    await third.page.getByRole('alert').filter({ hasText: 'used up' }).waitFor();

    await admin.reload();
    const invites = admin.getByRole('list', { name: 'Invite links' });
    await expect.poll(() => invites.textContent()).toContain('Used up');
    expect(await invites.textContent()).toContain('2 of 2 used');
    expect(await invites.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);

    await admin.getByLabel('Who can create an account').selectOption({ label: 'Nobody' });
    await admin.getByRole('status').filter({ hasText: 'Nobody' }).waitFor();
    await third.page.goto(`${suite.server.url}/signup`);
    await third.page.getByRole('heading', { name: 'Sign-up is closed' }).waitFor();
    expect(await third.page.getByLabel('Username', { exact: true }).count()).toBe(0);
    await third.page.getByRole('link', { name: 'Log in' }).click();
    await third.page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await third.page.getByRole('link', { name: 'Create an account' }).count()).toBe(0);

    const log = admin.getByRole('list', { name: 'Audit log' });
    await expect.poll(() => log.textContent()).toContain('invite_created');
    expect(await log.textContent()).toContain('signup_policy_changed');
    expect(await log.textContent()).not.toContain(link.split('=')[1]);
    for (const user of [root, first, second, third]) expect(user.pageErrors).toEqual([]);
  });
});
