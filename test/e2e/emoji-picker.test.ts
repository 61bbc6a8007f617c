// Any emoji, not only the quick reactions: "More reactions" in a message's menu and "Insert
// emoji" in the composer open a picker with search (emoji-picker-element, its data served
// by this server). A reaction picked there reaches the other member; an emoji inserted
// goes in at the caret. Typing `:` and a name offers the emoji of that name, in the composer
// and in the editor of a sent message.
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

  it('offers emoji by name after a colon and two letters', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Names', 'shipped it');
    const box = ana.page.getByRole('textbox', { name: 'Message' });
    const list = ana.page.getByRole('listbox', { name: 'Emoji' });
    // A time is no emoji name.
    await box.pressSequentially('at 10:30 ');
    await box.pressSequentially(':thumbs');
    const options = list.getByRole('option');
    await options.first().waitFor();
    // (The emoji data writes 👍 with a variation selector, U+FE0F, as many keyboards do.)
    expect(await options.first().textContent()).toMatch(/^👍\uFE0F? :thumbsup:$/u);
    expect(await box.getAttribute('aria-activedescendant')).toBe('composer-suggestions-option-0');
    // ArrowDown moves to the next (👎), ArrowUp back; Enter picks the active one.
    await box.press('ArrowDown');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    await box.press('ArrowUp');
    await box.press('Enter');
    await expect.poll(() => box.inputValue()).toMatch(/^at 10:30 👍\uFE0F?$/u);
    const picked = await box.inputValue();
    expect(await list.count()).toBe(0);
    // Escape closes the list and keeps the text as typed.
    await box.pressSequentially(' :tada');
    await list.getByRole('option').first().waitFor();
    await box.press('Escape');
    expect(await list.count()).toBe(0);
    await box.press('Enter');
    await messageRow(ben.page, `${picked} :tada`).waitFor({ timeout: UI_TIMEOUT });

    // The same in the editor of a sent message (ArrowUp edits my last one).
    await box.press('ArrowUp');
    const editor = ana.page.getByRole('textbox', { name: 'Edit message' });
    await editor.press('End');
    await editor.pressSequentially(' :rocket');
    await list.getByRole('option').first().waitFor();
    expect(await list.getByRole('option').first().textContent()).toMatch(/^🚀\uFE0F? :rocket:$/u);
    await editor.press('Enter'); // picks
    await expect.poll(() => editor.inputValue()).toMatch(/:tada 🚀\uFE0F?$/u);
    const edited = await editor.inputValue();
    await editor.press('Enter'); // saves
    await messageRow(ben.page, edited).getByText('(edited)').waitFor({ timeout: UI_TIMEOUT });
    expect([...ana.pageErrors, ...ben.pageErrors]).toEqual([]);
  });
});
