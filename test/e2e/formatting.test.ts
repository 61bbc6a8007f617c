// Formatting typed in a message, between two browser contexts on the real server: Ctrl+B
// wraps the selection in ** and unwraps it again, Enter inside an open ``` block is a new
// line of code and sends once the block is closed, and the other member sees bold text, a
// code block, a quote, inline code, and a mention and a link inside bold. HTML typed in a
// message stays text, and the sidebar's preview shows the text without its markers.
import { describe, expect, it } from 'vitest';
import { conversationLink, openConversation, UI_TIMEOUT } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

// The test project has no DOM lib: the one browser-side callback types what it touches.
interface TextArea {
  value: string;
  setSelectionRange(start: number, end: number): void;
}

describe('message formatting', () => {
  it('formats from the keyboard and shows formatting to the other member', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Notes');
    await openConversation(ben.page, 'Notes');
    const box = ana.page.getByRole('textbox', { name: 'Message' });
    const history = ben.page.getByRole('log', { name: 'Chat history' });
    const row = (text: string | RegExp) =>
      history
        .getByRole('article')
        .filter({ has: ben.page.locator('.message-text', { hasText: text }) });

    // Ctrl+B on "this" wraps it; again unwraps it; a third time wraps it for sending.
    await box.fill('see this now');
    await box.evaluate((el: TextArea) => el.setSelectionRange(4, 8));
    await box.press('Control+b');
    expect(await box.inputValue()).toBe('see **this** now');
    await box.press('Control+b');
    expect(await box.inputValue()).toBe('see this now');
    await box.press('Control+b');
    await box.press('Enter');
    const bold = row('see this now');
    await bold.locator('strong', { hasText: 'this' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await bold.locator('.message-text').textContent()).toBe('see this now');

    // Enter inside an open ``` block adds a line; after the closing ``` it sends.
    await box.fill('```');
    await box.press('Enter');
    await box.pressSequentially('const a = 1;');
    await box.press('Enter');
    await box.pressSequentially('```');
    expect(await box.inputValue()).toBe('```\nconst a = 1;\n```');
    await box.press('Enter');
    const code = history.locator('pre.code-block', { hasText: 'const a = 1;' });
    await code.waitFor({ timeout: UI_TIMEOUT });
    expect(await code.textContent()).toBe('const a = 1;');
    await expect.poll(() => box.inputValue()).toBe('');

    // A quote with inline code, and a mention and a link inside bold.
    await box.fill(`> the \`deploy\` step\n\n**@${ben.username} see example.com**`);
    await box.press('Enter');
    const quoted = row(/see example\.com/);
    await quoted.waitFor({ timeout: UI_TIMEOUT });
    expect(await quoted.locator('blockquote code').textContent()).toBe('deploy');
    expect(await quoted.locator('strong .mention-me').textContent()).toBe(`@${ben.username}`);
    expect(await quoted.locator('strong a').getAttribute('href')).toBe('http://example.com');

    // Lists, one inside another, after a line of text.
    await box.fill('plan:\n- *ship* it\n- tell people\n  1. blog\n  2. email');
    await box.press('Enter');
    const list = history.locator('ul.message-list', { hasText: 'tell people' });
    await list.waitFor({ timeout: UI_TIMEOUT });
    expect(await list.locator('> li').allTextContents()).toEqual([
      'ship it',
      'tell peopleblogemail',
    ]);
    expect(await list.locator('> li em').textContent()).toBe('ship');
    expect(await list.locator('ol.message-list > li').allTextContents()).toEqual(['blog', 'email']);
    // The sidebar's preview writes the list out on one line.
    await expect
      .poll(() => conversationLink(ben.page, 'Notes').locator('.group-item-preview').textContent())
      .toBe('plan: • ship it • tell people 1. blog 2. email');

    // HTML is text, and a backslash keeps a marker.
    await box.fill('<b>loud</b> \\*calm\\*');
    await box.press('Enter');
    const html = row('<b>loud</b> *calm*');
    await html.waitFor({ timeout: UI_TIMEOUT });
    expect(await html.locator('b, em').count()).toBe(0);
    // Previews and quotes of a message show its text without the markers.
    const preview = conversationLink(ben.page, 'Notes').locator('.group-item-preview');
    await expect.poll(() => preview.textContent()).toBe('<b>loud</b> *calm*');

    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });
});
