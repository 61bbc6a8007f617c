// Deleting one's account from the profile: the password and a confirmation, then the app
// signs out with the reason and forgets the account's data on the device; the other member
// sees the messages stay, now by "Deleted user"; the old password no longer logs in.
import { describe, expect, it } from 'vitest';
import { messageRow, PASSWORD, sendMessage, UI_TIMEOUT } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { localDataOf, myUserId } from '../utils/local-store.js';

const suite = useBrowserSuite();

describe('deleting an account', () => {
  it('signs out, forgets the data here, and leaves the messages by "Deleted user"', async () => {
    await suite.signUp('Root'); // the server's administrator, so Ana is not the only one
    const { ana, ben } = await suite.twoUsersTalking('Plans', 'my last word');
    const anaId = await myUserId(ana.page);
    const author = messageRow(ben.page, 'my last word').locator('.message-author');
    expect(await author.textContent()).toBe('Ana');

    await ana.page.getByRole('link', { name: 'Profile' }).click();
    const password = ana.page.locator('#delete-password');
    await password.fill('wrong password');
    await ana.page.getByRole('button', { name: 'Delete account' }).click();
    await ana.page.getByRole('button', { name: 'Delete my account' }).click();
    await ana.page.getByRole('alert').filter({ hasText: 'Your password is wrong.' }).waitFor();

    await password.fill(PASSWORD);
    await ana.page.getByRole('button', { name: 'Delete account' }).click();
    await ana.page.getByRole('button', { name: 'Delete my account' }).click();
    await ana.page.getByText('Your account was deleted.').waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => localDataOf(ana.page, anaId)).toEqual({ databases: [], records: [] });

    await expect.poll(() => author.textContent(), { timeout: UI_TIMEOUT }).toBe('Deleted user');
    await sendMessage(ben.page, 'still here');

    await ana.page.getByLabel('Username or email').fill(ana.username);
    await ana.page.getByLabel('Password').fill(PASSWORD);
    await ana.page.getByRole('button', { name: 'Log in' }).click();
    await ana.page.getByRole('alert').filter({ hasText: 'Wrong username' }).waitFor();
    expect([...ana.pageErrors, ...ben.pageErrors]).toEqual([]);
  });
});
