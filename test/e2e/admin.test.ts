// Administration in the browser: the first account is the server admin; it sees server stats,
// bans a user (whose open app ends its session at once and deletes the user's data on the
// device), resets another user's password (the same; the new one logs in, the old one no
// longer does), and every action lands in the audit log.
// Other users get no administration screen.
import { describe, expect, it } from 'vitest';
import { PASSWORD } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { localDataOf, myUserId } from '../utils/local-store.js';

const suite = useBrowserSuite();

describe('administration', () => {
  it('bans users, resets passwords and shows stats and the audit log to the admin only', async () => {
    const root = await suite.signUp('Root');
    const ben = await suite.signUp('Ben');
    const cara = await suite.signUp('Cara');
    const [benId, caraId] = [await myUserId(ben.page), await myUserId(cara.page)];
    const records = async (user: typeof ben, id: string): Promise<number> =>
      (await localDataOf(user.page, id)).records.length;
    await expect.poll(() => records(ben, benId)).toBeGreaterThan(0);
    await expect.poll(() => records(cara, caraId)).toBeGreaterThan(0);

    await root.page.getByRole('link', { name: 'Administration' }).click();
    await root.page.getByRole('heading', { name: 'Administration' }).waitFor();
    const stats = root.page.getByLabel('Server stats');
    await expect.poll(() => stats.textContent()).toMatch(/Users\s*3/);

    // Ban: Ben's open app is signed out with the reason.
    await root.page.getByRole('button', { name: `Ban @${ben.username}` }).click();
    await root.page.getByRole('status').filter({ hasText: 'is banned' }).waitFor();
    await ben.page.getByText('Your account has been banned.').waitFor();
    // The session was ended on purpose: nothing of Ben stays on his device.
    await expect.poll(() => localDataOf(ben.page, benId)).toEqual({ databases: [], records: [] });
    await ben.page.getByLabel('Username or email').fill(ben.username);
    await ben.page.getByLabel('Password').fill(PASSWORD);
    await ben.page.getByRole('button', { name: 'Log in' }).click();
    await ben.page.getByRole('alert').filter({ hasText: 'banned' }).waitFor();

    // Password reset: Cara's session ends; only the new password logs in.
    const fresh = 'a brand new passphrase';
    await root.page.getByRole('button', { name: `Reset password of @${cara.username}` }).click();
    await root.page.getByLabel(`New password for @${cara.username}`).fill(fresh);
    await root.page.getByRole('button', { name: 'Set password', exact: true }).click();
    await root.page.getByRole('status').filter({ hasText: 'reset' }).waitFor();
    await cara.page.getByRole('button', { name: 'Log in' }).waitFor();
    await expect.poll(() => localDataOf(cara.page, caraId)).toEqual({ databases: [], records: [] });
    await cara.page.getByLabel('Username or email').fill(cara.username);
    await cara.page.getByLabel('Password').fill(PASSWORD);
    await cara.page.getByRole('button', { name: 'Log in' }).click();
    await cara.page.getByRole('alert').waitFor();
    await cara.page.getByLabel('Password').fill(fresh);
    await cara.page.getByRole('button', { name: 'Log in' }).click();
    await cara.page.getByRole('button', { name: 'New group' }).waitFor();

    // The audit log names both actions.
    const log = root.page.getByRole('list', { name: 'Audit log' });
    await expect.poll(() => log.textContent()).toContain('user_banned');
    await expect.poll(() => log.textContent()).toContain(`@${cara.username}`);

    // Cara is no admin: no link, and the page itself is refused by the server.
    expect(await cara.page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
    await cara.page.goto(`${suite.server.url}/admin`);
    await cara.page
      .getByRole('alert')
      .filter({ hasText: /administrators only/i })
      .first()
      .waitFor();
    expect(root.pageErrors).toEqual([]);
  });
});
