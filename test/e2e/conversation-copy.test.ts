// "Download a copy" in a group's settings, or a DM's details: a text file of the
// conversation as this device has it, one line per message with its author, edits applied.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findPerson, messageRow, sendMessage } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';

const suite = useBrowserSuite();

describe('copy of a conversation', () => {
  it('downloads the messages as text', async () => {
    const { ana, ben } = await suite.twoUsersTalking('Notes', 'hello there');
    await sendMessage(ben.page, 'see you at 5');
    await messageRow(ana.page, 'see you at 5').waitFor();

    await ana.page.getByRole('link', { name: 'Group settings' }).click();
    const [download] = await Promise.all([
      ana.page.waitForEvent('download'),
      ana.page.getByRole('button', { name: 'Download as text' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Notes-\d{4}-\d{2}-\d{2}\.txt$/);
    const text = readFileSync(await download.path(), 'utf8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^Notes \(exported \d{4}-\d{2}-\d{2} \d{2}:\d{2}\)$/);
    expect(lines.slice(2).map((l) => l.replace(/^\[[^\]]+\] /, ''))).toEqual([
      'Ana: hello there',
      'Ben: see you at 5',
    ]);
    expect([...ana.pageErrors, ...ben.pageErrors]).toEqual([]);
  });

  it('downloads a direct message from its details, which show the other person', async () => {
    const ana = await suite.signUp('Ana');
    const ben = await suite.signUp('Ben');
    await (await findPerson(ana.page, ben)).click();
    await ana.page.getByRole('heading', { name: 'Ben', exact: true }).waitFor();
    await sendMessage(ana.page, 'are you in today?');

    await ana.page.getByRole('link', { name: 'Conversation details' }).click();
    await ana.page.getByRole('heading', { name: 'Details: Ben' }).waitFor();
    await ana.page.getByText(`@${ben.username} · Online`).waitFor();
    // A DM has nothing to set: no name field, no members to manage.
    expect(await ana.page.getByLabel('Group name').count()).toBe(0);
    const [download] = await Promise.all([
      ana.page.waitForEvent('download'),
      ana.page.getByRole('button', { name: 'Download as text' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Ben-\d{4}-\d{2}-\d{2}\.txt$/);
    const lines = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(lines.slice(2).map((l) => l.replace(/^\[[^\]]+\] /, ''))).toEqual([
      'Ana: are you in today?',
    ]);
    await ana.page.getByRole('link', { name: 'Back to the conversation' }).click();
    await messageRow(ana.page, 'are you in today?').waitFor();
    expect([...ana.pageErrors, ...ben.pageErrors]).toEqual([]);
  });
});
