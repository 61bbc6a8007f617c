// "Download a copy" in a group's settings: a text file of the conversation as this device
// has it, one line per message with its author, edits applied.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messageRow, sendMessage } from '../utils/browser.js';
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
});
