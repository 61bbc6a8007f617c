// A group's topic: its owner sets it in the group's settings, and every member sees it under
// the group's name at once (the event channel carries the change); an empty topic removes
// the line. A plain member cannot change it.
import { describe, expect, it } from 'vitest';
import { openConversation, UI_TIMEOUT } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

describe('group topic', () => {
  it('is set by the owner and shown to members under the name', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Release');
    await openConversation(ben.page, 'Release');
    const topicOf = (page: typeof ana.page) =>
      page.locator('.conversation-header .conversation-topic');

    await ana.page.getByRole('link', { name: 'Group settings' }).click();
    await ana.page.getByLabel('Topic').fill('Ship 2.0 on Friday');
    await ana.page.getByRole('button', { name: 'Save topic' }).click();
    await ana.page.getByRole('status').filter({ hasText: 'Topic saved.' }).waitFor();
    await expect
      .poll(() => topicOf(ben.page).textContent(), { timeout: UI_TIMEOUT })
      .toBe('Ship 2.0 on Friday');

    // Ben is a member, not an admin: the field is there to read, not to change.
    await ben.page.getByRole('link', { name: 'Group settings' }).click();
    expect(await ben.page.getByLabel('Topic').inputValue()).toBe('Ship 2.0 on Friday');
    expect(await ben.page.getByLabel('Topic').isDisabled()).toBe(true);
    await ben.page.getByRole('link', { name: 'Back to the conversation' }).click();

    await ana.page.getByLabel('Topic').fill('');
    await ana.page.getByRole('button', { name: 'Save topic' }).click();
    await ana.page.getByRole('status').filter({ hasText: 'Topic removed.' }).waitFor();
    await expect.poll(() => topicOf(ben.page).count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect([...ana.pageErrors, ...ben.pageErrors]).toEqual([]);
  });
});
