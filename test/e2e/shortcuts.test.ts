// The keyboard shortcuts list: "?" outside a text field opens it (typed into the composer
// it is just a character), Escape closes it, and the sidebar's button opens it too.
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

describe('keyboard shortcuts', () => {
  it('lists the shortcuts on "?" and from the sidebar', async () => {
    const { ana } = await suite.twoUsersInGroup('Keys');
    const page = ana.page;
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });

    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('why');
    await box.press('Shift+Slash');
    expect(await box.inputValue()).toBe('why?');
    expect(await dialog.count()).toBe(0);

    await box.blur();
    await page.keyboard.press('Shift+Slash');
    await dialog.waitFor();
    expect(await dialog.getByRole('definition').allTextContents()).toContain(
      'Find a conversation by name',
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(ana.pageErrors).toEqual([]);
  });
});
