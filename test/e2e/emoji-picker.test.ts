// Any emoji, not only the quick reactions: "More reactions" in a message's menu and "Insert
// emoji" in the composer open a picker with search (emoji-picker-element, its data served
// by this server). A reaction picked there reaches the other member; an emoji inserted
// goes in at the caret.
import { describe, expect, it } from 'vitest';
import { messageRow, UI_TIMEOUT } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

describe('emoji picker', () => {
  it('reacts with any emoji and inserts one into a message', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Launch', 'we are live');

    const row = messageRow(ben.page, 'we are live');
    await row.hover();
    await row.getByRole('button', { name: /^Message actions/ }).click();
    await ben.page.getByRole('menuitem', { name: 'More reactions' }).click();
    const reactWith = ben.page.getByRole('dialog', { name: 'React with' });
    await reactWith.getByRole('combobox', { name: 'Search' }).fill('rocket');
    await reactWith.getByRole('option', { name: /^🚀,/ }).click();
    await reactWith.waitFor({ state: 'detached' });
    const rocket = (page: typeof ana.page) =>
      messageRow(page, 'we are live')
        .getByRole('group', { name: 'Reactions' })
        .getByRole('button', { name: /^🚀 / });
    await rocket(ana.page).waitFor({ timeout: UI_TIMEOUT });
    await rocket(ben.page).waitFor();

    // Inserted where the caret is.
    const box = ana.page.getByRole('textbox', { name: 'Message' });
    await box.fill('well done team');
    await box.press('End');
    for (let i = 0; i < ' team'.length; i++) await box.press('ArrowLeft');
    await ana.page.getByRole('button', { name: 'Insert emoji' }).click();
    const insert = ana.page.getByRole('dialog', { name: 'Insert emoji' });
    await insert.getByRole('combobox', { name: 'Search' }).fill('party popper');
    await insert.getByRole('option', { name: /^🎉,/ }).click();
    await expect.poll(() => box.inputValue()).toBe('well done🎉 team');
    await box.press('Enter');
    await messageRow(ben.page, 'well done🎉 team').waitFor({ timeout: UI_TIMEOUT });
    expect([...ana.pageErrors, ...ben.pageErrors]).toEqual([]);
  });
});
