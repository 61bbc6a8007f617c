// The app's screens checked by axe-core (WCAG 2.1 A/AA and best practices), with the
// features that add controls on screen: sign-up, log-in and password reset, the home
// screen, a conversation with a link, formatted messages (a quote, inline code and a code
// block, in my bubble and another member's), a pin, a read status, a mute and its header
// controls, the emoji picker (light and dark), the keyboard shortcuts, the profile with its
// device list, group settings, and administration with an invite link. One rule is read
// with a judgement: the sidebar's items are named by their title and state ("Quiet, 2
// unread, muted"), and their time and preview are the description, so
// label-content-name-mismatch is not counted for `.group-item`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  createGroup,
  messageRow,
  newUserContext,
  openConversation,
  sendMessage,
} from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  targets: string[];
}

/** axe's violations on the page as it is now (the judged rule above left out). */
async function violations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE);
  const found: Violation[] =
    await page.evaluate(`axe.run(document).then((r) => r.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    targets: v.nodes.map((n) => n.target.join(' ')),
  })))`);
  return found
    .map((v) =>
      v.id === 'label-content-name-mismatch'
        ? { ...v, targets: v.targets.filter((t) => !t.includes('.group-item')) }
        : v,
    )
    .filter((v) => v.targets.length > 0);
}

describe('accessibility', () => {
  it('finds no violations on the main screens', async () => {
    const visitor = await newUserContext(suite.browser);
    await visitor.page.goto(`${suite.server.url}/signup`);
    await visitor.page.getByRole('button', { name: 'Sign up' }).waitFor();
    expect(await violations(visitor.page)).toEqual([]);
    await visitor.page.goto(`${suite.server.url}/login`);
    await visitor.page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await violations(visitor.page)).toEqual([]);
    await visitor.page.goto(`${suite.server.url}/forgot-password`);
    await visitor.page.getByRole('button', { name: 'Send the link' }).waitFor();
    expect(await violations(visitor.page)).toEqual([]);
    await visitor.page.goto(`${suite.server.url}/reset-password?code=${'x'.repeat(43)}`);
    await visitor.page.getByRole('button', { name: 'Set the new password' }).waitFor();
    expect(await violations(visitor.page)).toEqual([]);

    const ana = await suite.signUp('Ana');
    const ben = await suite.signUp('Ben');
    expect(await violations(ana.page)).toEqual([]);

    await createGroup(ana, 'Audit', [ben]);
    await sendMessage(ana.page, 'the plan is at https://example.com/plan');
    await openConversation(ben.page, 'Audit');
    // Formatting in both kinds of bubble: mine and another member's.
    const formatted = '> the `deploy` step\n\n```\nnpm run build\n```';
    for (const user of [ben, ana]) {
      await user.page.getByRole('textbox', { name: 'Message' }).fill(formatted);
      await user.page.getByRole('textbox', { name: 'Message' }).press('Enter');
    }
    await expect.poll(() => ana.page.locator('pre.code-block').count()).toBe(2);
    const row = messageRow(ana.page, 'the plan is at https://example.com/plan');
    await row.getByLabel(/^Status: Read by all/).waitFor();
    await row.hover();
    await row.getByRole('button', { name: /^Message actions/ }).click();
    await ana.page.getByRole('menuitem', { name: 'Pin', exact: true }).click();
    await ana.page.getByRole('button', { name: 'Pinned messages: 1' }).click();
    await ana.page
      .getByRole('combobox', { name: 'Notifications' })
      .selectOption({ label: 'Mute for 1 hour' });
    await ana.page.getByRole('link', { name: /^Audit, muted/ }).waitFor();
    // Starred: the sidebar's sections and the filled star.
    await ana.page.getByRole('button', { name: 'Star', exact: true }).click();
    await ana.page.getByRole('heading', { name: 'Starred' }).waitFor();
    expect(await violations(ana.page)).toEqual([]);
    // The same in dark mode (the system's setting), and the emoji picker in both.
    await ana.page.emulateMedia({ colorScheme: 'dark' });
    expect(await violations(ana.page)).toEqual([]);
    await ana.page.getByRole('button', { name: 'Insert emoji' }).click();
    const picker = ana.page.getByRole('dialog', { name: 'Insert emoji' });
    await picker.getByRole('tab').first().waitFor();
    expect(await violations(ana.page)).toEqual([]);
    await ana.page.emulateMedia({ colorScheme: 'light' });
    expect(await violations(ana.page)).toEqual([]);
    await picker.getByRole('button', { name: 'Close' }).click();

    await ana.page.getByRole('link', { name: 'Group settings' }).click();
    await ana.page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await violations(ana.page)).toEqual([]);

    await ana.page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await ana.page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    expect(await violations(ana.page)).toEqual([]);
    await ana.page.keyboard.press('Escape');

    await ana.page.getByRole('link', { name: 'Profile' }).click();
    await ana.page.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem').waitFor();
    expect(await violations(ana.page)).toEqual([]);

    // Ana made the server's first account: she is its admin.
    await ana.page.goto(`${suite.server.url}/admin`);
    await ana.page.getByRole('button', { name: 'Create invite link' }).click();
    await ana.page.getByLabel('Invite link to share').waitFor();
    await ana.page.getByRole('list', { name: 'Invite links' }).getByRole('listitem').waitFor();
    expect(await violations(ana.page)).toEqual([]);
  });
});
