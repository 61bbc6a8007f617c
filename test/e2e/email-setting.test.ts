// The profile's email switch, on a server that can send email (SMTP_URL set; nobody here is
// ever away from a conversation, so nothing is sent): on by default, and switching it off
// is kept by the server across a reload. Sending itself is tested against a local SMTP
// server in test/integration/email-notifications.test.ts.
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite({ env: { SMTP_URL: 'smtp://127.0.0.1:9' } });

describe('email setting', () => {
  it('is on by default and stays off once switched off', async () => {
    const ana = await suite.signUp('Ana');
    await ana.page.getByRole('link', { name: 'Profile' }).click();
    const box = ana.page.getByRole('checkbox', {
      name: 'Email me about direct messages and mentions while I am away',
    });
    await expect.poll(() => box.isEnabled()).toBe(true);
    expect(await box.isChecked()).toBe(true);
    await box.uncheck();
    await ana.page.getByRole('status').filter({ hasText: 'No more of these emails.' }).waitFor();
    await ana.page.reload();
    await expect.poll(() => box.isEnabled()).toBe(true);
    expect(await box.isChecked()).toBe(false);
    expect(ana.pageErrors).toEqual([]);
  });
});
