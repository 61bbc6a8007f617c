// The Gemini-backed assistant in the web app, against the real server and its real SDK pointed
// at a local fake Gemini (GEMINI_BASE_URL): the owner switches it on in the group settings,
// a member's @assistant mention gets a bot message that the server grows through the bot's
// edits while the answer streams in, and every member's screen ends up showing the whole
// answer in the bot's row (quoting the question), not the '…' placeholder the message was
// posted with.
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import {
  UI_TIMEOUT,
  chatHistory,
  messageRow,
  messageTexts,
  openConversation,
  sendMessage,
} from '../utils/browser.js';
import type { AppUser } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { startFakeGemini } from '../utils/fake-gemini.js';

const PLACEHOLDER = '…';

// Started at collection time, so its address is known when the suite's server reads its env;
// its cleanup (file scope) closes it after the file's tests.
const fake = await startFakeGemini();
const suite = useBrowserSuite({
  env: {
    GEMINI_API_KEY: 'test-key-not-a-secret',
    GEMINI_MODEL: 'test-model',
    GEMINI_BASE_URL: fake.url,
  },
});

/** The owner switches the assistant on in the group's settings and comes back to the chat. */
async function enableAssistant(owner: AppUser, title: string): Promise<void> {
  const { page } = owner;
  await page.getByRole('link', { name: 'Group settings' }).click();
  await page.getByRole('heading', { name: `Settings: ${title}`, exact: true }).waitFor();
  // Enabled once the page knows the server has a key (/api/config).
  await page.getByRole('checkbox', { name: 'Assistant in this group' }).check();
  await page.getByRole('status').filter({ hasText: 'Assistant enabled.' }).waitFor();
  await page.getByRole('link', { name: 'Back to the conversation' }).click();
  await page.getByRole('heading', { name: title, exact: true }).waitFor();
}

/** The bot's message row: its author is the server's "Assistant" account. */
function botRow(page: Page): Locator {
  return chatHistory(page).getByRole('article', { name: /^Assistant at / });
}

function shownText(row: Locator): Promise<string | null> {
  return row.locator('.message-text').textContent();
}

describe('the assistant in the web app', () => {
  it("shows every member the streamed answer as the bot message's text", async () => {
    const { ana, ben } = await suite.twoUsersInGroup('Trivia');
    await enableAssistant(ana, 'Trivia');
    await openConversation(ben.page, 'Trivia');

    // Three pieces, each later than the server's edit throttle: the message really grows.
    fake.reply({ chunks: ['The capital', ' of France', ' is Paris.'], delayMs: 400 });
    const question = '@assistant what is the capital of France?';
    const answer = 'The capital of France is Paris.';
    const before = fake.requests.length;
    await sendMessage(ana.page, question);
    await messageRow(ben.page, question).waitFor();

    // The server asked the model once and read the whole answer: what follows is the app's.
    await expect
      .poll(() => fake.requests.slice(before).map((r) => r.outcome), { timeout: UI_TIMEOUT })
      .toEqual(['complete']);
    expect(fake.requests.at(-1)!.raw).toContain('what is the capital of France?');

    // Both screens at once, so a failure shows what each of them has.
    const users = [ana, ben];
    for (const user of users) await botRow(user.page).waitFor();
    await expect
      .poll(() => Promise.all(users.map((user) => shownText(botRow(user.page)))), {
        timeout: UI_TIMEOUT,
        message: "Ana's and Ben's bot rows show the bot's latest edit, not its posted text",
      })
      .toEqual([answer, answer]);
    for (const user of users) {
      // The answer quotes the question it replies to.
      await botRow(user.page)
        .getByRole('button', { name: `Reply to Ana: ${question}. Show that message` })
        .waitFor();
      expect(await messageRow(user.page, PLACEHOLDER).count()).toBe(0);
      expect(await messageTexts(user.page)).toEqual([question, answer]);
    }
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });
});
