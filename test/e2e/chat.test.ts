// Two users in two browser contexts against the real server: sign-up, a group made with the
// member picker, real-time messages, typing and presence through awareness, read status from
// read markers, sidebar unread counts for a group that is not on screen, and a DM partner's
// presence in the sidebar without the DM open. Typing `@` in the composer offers the members
// to mention, and a mention of me stands out in my list. Web and mail addresses in a
// message are links that open in a new tab; other schemes stay text. Ctrl+K finds a
// conversation by name from the keyboard.
import { describe, expect, it } from 'vitest';
import {
  UI_TIMEOUT,
  chatHistory,
  conversationLink,
  createGroup,
  findPerson,
  messageRow,
  messageTexts,
  openConversation,
  sendMessage,
} from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

describe('chat between two users', () => {
  it('exchanges messages in real time with typing, presence and read status', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Team');

    await sendMessage(ana.page, 'hello ben');
    const first = messageRow(ana.page, 'hello ben');
    // Ben has not opened the group: the relay has it, nobody has read it.
    await first.getByLabel('Status: On the server').waitFor();

    // The event channel brings the new group into Ben's sidebar without a reload.
    await openConversation(ben.page, 'Team');
    await messageRow(ben.page, 'hello ben').waitFor();
    // Ben sees Ana online in the conversation header.
    await ben.page.getByLabel('Presence').filter({ hasText: '2 online' }).waitFor();
    await expect.poll(() => ben.page.getByLabel('Presence').textContent()).toContain('Ana');

    // Viewing the message writes Ben's read marker; Ana's status follows it, naming him.
    const read = first.getByLabel('Status: Read by all: Ben', { exact: true });
    await read.waitFor();
    expect(await read.getAttribute('title')).toBe('Ben');

    // Typing shows on the other side, and goes away once the message is sent.
    const composer = ana.page.getByRole('textbox', { name: 'Message' });
    await composer.pressSequentially('are you the');
    const typing = ben.page.getByRole('status', { name: 'Typing' });
    await typing.filter({ hasText: 'Ana is typing…' }).waitFor();
    await composer.pressSequentially('re?');
    await composer.press('Enter');
    await messageRow(ben.page, 'are you there?').waitFor();
    await typing.filter({ hasText: 'Ana is typing…' }).waitFor({ state: 'detached' });

    // Shift+Enter makes a new line; Enter sends. Ana gets the reply in real time.
    // The composer grows with its lines and is one line again once sent.
    const reply = ben.page.getByRole('textbox', { name: 'Message' });
    const height = (): Promise<number> =>
      reply.evaluate((el: { offsetHeight: number }) => el.offsetHeight);
    const oneLine = await height();
    await reply.fill('yes,');
    await reply.press('Shift+Enter');
    await reply.pressSequentially('here');
    expect(await height()).toBeGreaterThan(oneLine);
    await reply.press('Enter');
    await expect.poll(height, { timeout: UI_TIMEOUT }).toBe(oneLine);
    await messageRow(ana.page, 'yes,\nhere').waitFor();

    await expect
      .poll(() => messageTexts(ana.page), { timeout: UI_TIMEOUT })
      .toEqual(['hello ben', 'are you there?', 'yes,\nhere']);
    await expect
      .poll(() => messageTexts(ben.page), { timeout: UI_TIMEOUT })
      .toEqual(['hello ben', 'are you there?', 'yes,\nhere']);
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });

  it('updates unread counts in the sidebar for a group that is not on screen', async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Alpha');
    await createGroup(ana, 'Beta', [ben]);

    // Ben looks at Alpha; Beta is only in his sidebar.
    await openConversation(ben.page, 'Alpha');
    await expect(conversationLink(ben.page, 'Beta').getAttribute('aria-label')).resolves.toBe(
      'Beta',
    );

    await openConversation(ana.page, 'Beta');
    await sendMessage(ana.page, 'beta one');
    await conversationLink(ben.page, 'Beta')
      .and(ben.page.getByRole('link', { name: 'Beta, 1 unread' }))
      .waitFor();
    await sendMessage(ana.page, 'beta two');
    await sendMessage(ana.page, `beta three, @${ben.username}`);
    // The server flags a message that mentions Ben (its event carries no text).
    await ben.page.getByRole('link', { name: 'Beta, 3 unread, mentioned you' }).waitFor();
    // The tab title carries the unread total.
    await expect.poll(() => ben.page.title(), { timeout: UI_TIMEOUT }).toBe('(3) Canopy');
    // The open group has nothing unread and Ben's view did not move.
    await expect(conversationLink(ben.page, 'Alpha').getAttribute('aria-label')).resolves.toBe(
      'Alpha',
    );
    expect(await chatHistory(ben.page).getByText('beta one').count()).toBe(0);

    // Opening Beta reads it: the count goes away.
    await openConversation(ben.page, 'Beta');
    await messageRow(ben.page, `beta three, @${ben.username}`).waitFor();
    await ben.page.getByRole('link', { name: 'Beta', exact: true }).waitFor();
    await expect.poll(() => ben.page.title(), { timeout: UI_TIMEOUT }).toBe('Canopy');
    expect(ben.pageErrors).toEqual([]);
  });
  it('shows whether a DM partner is online in the sidebar, with the DM never opened', async () => {
    const ana = await suite.signUp('Ana');
    const ben = await suite.signUp('Ben');
    await (await findPerson(ben.page, ana)).click();
    await ben.page.getByRole('heading', { name: 'Ana', exact: true }).waitFor();

    // Ana stays on her home screen: the DM's document is not open on her side, so what she
    // sees comes from her event channel. Ben sees her the same way (she is not in the DM).
    await ana.page.getByRole('link', { name: 'Ben, online', exact: true }).waitFor();
    await ben.page.getByRole('link', { name: 'Ana, online', exact: true }).waitFor();

    // Ben leaves; after the server's grace (a reload does not flap) Ana sees him offline.
    await ben.page.getByRole('button', { name: 'Log out' }).click();
    await ana.page.getByRole('link', { name: 'Ben', exact: true }).waitFor();
    expect(ana.pageErrors).toEqual([]);
  });

  it('mentions a member picked from the list under the composer; it stands out for them', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Mentions', 'hello');
    const box = ana.page.getByRole('textbox', { name: 'Message' });
    const list = ana.page.getByRole('listbox', { name: 'Mention someone' });

    // Escape closes the list and keeps what was typed.
    await box.pressSequentially('@');
    await list.waitFor();
    await box.press('Escape');
    await list.waitFor({ state: 'detached' });
    expect(await box.inputValue()).toBe('@');
    await box.fill('');

    await box.pressSequentially('Hi @Be');
    const option = list.getByRole('option', { name: `Ben @${ben.username}` });
    expect(await option.getAttribute('aria-selected')).toBe('true');
    expect(await list.getByRole('option').count()).toBe(1); // Ana is not offered to herself
    await box.press('Enter'); // picks; does not send
    expect(await box.inputValue()).toBe(`Hi @${ben.username} `);
    await list.waitFor({ state: 'detached' });
    await box.pressSequentially('are you there?');
    await box.press('Enter');
    // A name typed out in full: Enter sends (the list has nothing to add).
    await box.pressSequentially(`thanks @${ben.username}`);
    await list.waitFor();
    await box.press('Enter');
    await messageRow(ben.page, `thanks @${ben.username}`).waitFor();

    const text = `Hi @${ben.username} are you there?`;
    const onBen = messageRow(ben.page, text);
    await onBen.waitFor();
    expect(await onBen.locator('.mention-me').textContent()).toBe(`@${ben.username}`);
    const onAna = messageRow(ana.page, text);
    expect(await onAna.locator('.mention').textContent()).toBe(`@${ben.username}`);
    expect(await onAna.locator('.mention-me').count()).toBe(0);
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });

  it('turns web and mail addresses into links, and nothing else', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Links', 'hello');
    const text =
      'read https://example.com/guide?p=2, www.canopy.chat or ana@example.org; javascript:alert(1)';
    await sendMessage(ana.page, text);
    const row = messageRow(ben.page, text);
    await row.waitFor();
    const links = row.getByRole('link');
    await expect.poll(() => links.count(), { timeout: UI_TIMEOUT }).toBe(3);
    const attrs: (string | null)[][] = [];
    for (let i = 0; i < 3; i++) {
      const link = links.nth(i);
      attrs.push(await Promise.all(['href', 'target', 'rel'].map((a) => link.getAttribute(a))));
    }
    expect(attrs).toEqual([
      ['https://example.com/guide?p=2', '_blank', 'noopener noreferrer nofollow'],
      ['http://www.canopy.chat', '_blank', 'noopener noreferrer nofollow'],
      ['mailto:ana@example.org', '_blank', 'noopener noreferrer nofollow'],
    ]);
    // The text reads as written, commas and all.
    expect(await row.locator('.message-text > span').first().textContent()).toBe(text);
    expect(ben.pageErrors).toEqual([]);
  });

  it('finds a conversation by name with Ctrl+K and opens it with Enter', async () => {
    const ana = await suite.signUp('Ana');
    const ben = await suite.signUp('Ben');
    await createGroup(ana, 'Design review', [ben]);
    await createGroup(ana, 'Lunch plans', [ben]);
    await createGroup(ana, 'Release notes', [ben]);
    const page = ana.page;
    const list = page.getByRole('navigation', { name: 'Conversations' }).getByRole('link');
    await expect.poll(() => list.count(), { timeout: UI_TIMEOUT }).toBe(3);

    // From the composer: Ctrl+K, then the start of a word of the name.
    await page.getByRole('textbox', { name: 'Message' }).focus();
    await page.keyboard.press('Control+k');
    const filter = page.getByRole('searchbox', { name: 'Find a conversation' });
    await expect
      .poll(() => page.evaluate('document.activeElement?.getAttribute("aria-label")'))
      .toBe('Find a conversation');
    await page.keyboard.type('re');
    await expect.poll(() => list.count(), { timeout: UI_TIMEOUT }).toBe(2);
    await page.keyboard.type('v');
    await expect.poll(() => list.count(), { timeout: UI_TIMEOUT }).toBe(1);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Design review', exact: true }).waitFor();
    // The filter is cleared and every conversation is back.
    expect(await filter.inputValue()).toBe('');
    await expect.poll(() => list.count(), { timeout: UI_TIMEOUT }).toBe(3);

    await filter.fill('nothing like it');
    await page.getByText('No conversation matches.').waitFor();
    await filter.press('Escape');
    await expect.poll(() => list.count(), { timeout: UI_TIMEOUT }).toBe(3);
    expect(ana.pageErrors).toEqual([]);
  });
});
