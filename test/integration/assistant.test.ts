// The assistant against the real server and the real @google/generative-ai SDK, pointed at
// a local fake Gemini (GEMINI_BASE_URL): a member's @assistant mention in an enabled group
// becomes a bot message that grows through the bot's edits to the streamed answer; the
// request carries the recent messages, the model and the key; disabled groups and
// unmentioned messages cost nothing; failures become a short bot message. Without a key
// the bot cannot be enabled. (A member forging a bot message: authority.test.ts.)
import { beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { errorBodySchema, groupDoc, serverConfigResponseSchema } from '@canopy/shared';
import type { GroupId, MessageRecord, PublicUser, UserId } from '@canopy/shared';
import { startFakeGemini } from '../utils/fake-gemini.js';
import type { FakeGemini } from '../utils/fake-gemini.js';
import { groupWithMembers, writeMessage } from '../utils/fixtures.js';
import type { GroupFixture, HttpClient } from '../utils/fixtures.js';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { newUser } from '../utils/http-client.js';
import { connectProvider, waitFor, waitSynced } from '../utils/ws-provider.js';

const KEY = 'test-key-not-a-secret';
const MODEL = 'test-model';

let fake: FakeGemini;
let server: TestServer;
/** the server's first account, hence its admin */
let admin: HttpClient;

beforeAll(async () => {
  fake = await startFakeGemini();
  server = await startTestServer({
    env: { GEMINI_API_KEY: KEY, GEMINI_MODEL: MODEL, GEMINI_BASE_URL: fake.url },
  });
  admin = await newUser(server.url, 'admin');
});

/**
 * A fresh group (owner + one member) with the bot enabled. One per test: a group has one
 * answer in flight and members have a rate, and the server may still be closing the last
 * answer's stream when a client already shows its final text.
 */
async function enabledGroup(): Promise<GroupFixture> {
  const fx = await groupWithMembers(server.url, 1, 'with assistant');
  await fx.owner.expect(200, fx.owner.patch(`/api/groups/${fx.group.id}`, { botEnabled: true }));
  return fx;
}

/** The text every client shows: the author's latest edit, else the record's own. */
function shownText(doc: Y.Doc, record: MessageRecord): string | undefined {
  const edit = groupDoc(doc).edits.get(record.id);
  return edit && edit.by === record.authorId ? edit.text : record.text;
}

function botReplyTo(doc: Y.Doc, messageId: string): MessageRecord | undefined {
  return groupDoc(doc)
    .messages.toArray()
    .find((m) => m.kind === 'bot' && m.replyTo === messageId);
}

/** Writes `text` as the member through a stock provider and waits for the bot's final text. */
async function ask(
  member: HttpClient,
  groupId: GroupId,
  text: string,
  done: (shown: string) => boolean,
): Promise<{ doc: Y.Doc; trigger: MessageRecord; reply: MessageRecord; shown: string[] }> {
  const provider = connectProvider(member, groupId);
  await waitSynced(provider);
  const doc = provider.doc;
  const shown: string[] = [];
  const trigger = writeMessage(doc, member.userId, text);
  const reply = await waitFor(
    () => {
      const record = botReplyTo(doc, trigger.id);
      const current = record && shownText(doc, record);
      if (current !== undefined && shown.at(-1) !== current) shown.push(current);
      return record && current !== undefined && done(current) ? record : undefined;
    },
    { timeout: 10_000, interval: 20, message: `the bot's answer to "${text}"` },
  );
  return { doc, trigger, reply, shown };
}

describe('assistant', () => {
  it('answers a mention in an enabled group by streaming into its own bot message', async () => {
    const fx = await enabledGroup();
    const member = fx.members[0]!;
    await fx.owner.postMessage(fx.group.id, 'Earlier: the build is green again');
    fake.reply({ chunks: ['The answer', ' is', ' 4.'], delayMs: 400 });
    const before = fake.requests.length;

    const answer = 'The answer is 4.';
    const { trigger, reply, shown } = await ask(
      member,
      fx.group.id,
      '@Assistant what is 2+2?',
      (text) => text === answer,
    );

    expect(reply).toMatchObject({ kind: 'bot', replyTo: trigger.id });
    const bot = await member.expect(
      200,
      member.get<{ user: PublicUser }>(`/api/users/${reply.authorId}`),
    );
    expect(bot.body.user).toMatchObject({ isBot: true, displayName: 'Assistant' });
    // It grew: the placeholder, then at least one partial text, then the whole answer.
    expect(shown.at(-1)).toBe(answer);
    expect(shown.some((t) => t !== answer && t !== '…' && answer.startsWith(t))).toBe(true);

    expect(fake.requests.length).toBe(before + 1);
    const request = fake.requests.at(-1)!;
    expect(request.model).toBe(MODEL);
    expect(request.headers['x-goog-api-key']).toBe(KEY);
    expect(request.raw).toContain('the build is green again');
    expect(request.raw).toContain('what is 2+2?');
    const body = request.body as { contents: { role: string }[]; systemInstruction?: unknown };
    expect(body.contents.at(-1)?.role).toBe('user');
    expect(body.systemInstruction).toBeDefined();
  });

  it('ignores disabled groups and messages without a mention', async () => {
    const fx = await enabledGroup();
    const member = fx.members[0]!;
    const quiet = await fx.owner.createGroup('no assistant', [member.userId]);
    const provider = connectProvider(member, quiet.id);
    await waitSynced(provider);
    writeMessage(provider.doc, member.userId, '@assistant are you there, quiet group?');
    await waitFor(async () => (await member.listMessages(quiet.id)).messages.length === 1, {
      message: 'the quiet group to hold the mention',
    });
    await fx.owner.postMessage(fx.group.id, 'assistant without the at sign, mail@assistant too');
    const before = fake.requests.length;

    fake.reply({ chunks: ['pong'] });
    const { reply } = await ask(member, fx.group.id, 'ping @assistant', (t) => t === 'pong');

    // The answered mention came after both: had either triggered, its request came first.
    expect(fake.requests.length).toBe(before + 1);
    expect(fake.requests.at(-1)!.raw).toContain('ping @assistant');
    expect(fake.requests.some((r) => r.raw.includes('quiet group'))).toBe(false);
    expect(
      groupDoc(provider.doc)
        .messages.toArray()
        .some((m) => m.kind === 'bot'),
    ).toBe(false);
    expect(reply.kind).toBe('bot');
  });

  it('turns a failing model service into a short bot message and keeps serving', async () => {
    const fx = await enabledGroup();
    const member = fx.members[0]!;
    fake.reply({ status: 500 });
    const failed = await ask(member, fx.group.id, '@assistant fail please', (t) => t !== '…');
    expect(failed.shown.at(-1)).toBe(
      'The assistant could not answer (the model service answered HTTP 500).',
    );

    fake.reply({ chunks: ['back'] });
    await ask(member, fx.group.id, '@assistant are you back?', (t) => t === 'back');
    const config = await member.expect(200, member.get('/api/config'));
    expect(serverConfigResponseSchema.parse(config.body).assistant.available).toBe(true);
  });

  it('answers one mention per group at a time and says so to the next', async () => {
    const fx = await enabledGroup();
    const member = fx.members[0]!;
    const provider = connectProvider(member, fx.group.id);
    await waitSynced(provider);
    fake.reply({ chunks: ['first', ' done'], delayMs: 300 });
    const doc = provider.doc;
    let first: MessageRecord | undefined;
    let second: MessageRecord | undefined;
    doc.transact(() => {
      first = writeMessage(doc, member.userId, '@assistant first question');
      second = writeMessage(doc, member.userId, '@assistant second question');
    });
    const busy = await waitFor(() => botReplyTo(doc, second!.id), {
      timeout: 10_000,
      message: 'the busy notice',
    });
    expect(shownText(doc, busy)).toMatch(/^The assistant is still answering here/);
    await waitFor(
      () => {
        const reply = botReplyTo(doc, first!.id);
        return reply && shownText(doc, reply) === 'first done';
      },
      { timeout: 10_000, message: 'the answer to the first question' },
    );
  });

  it('stops streaming when a moderator deletes the answer', async () => {
    const fx = await enabledGroup();
    const owner = connectProvider(fx.owner, fx.group.id);
    await waitSynced(owner);
    fake.reply({ chunks: ['one', ' two', ' three', ' four', ' five'], delayMs: 300 });
    const trigger = await fx.members[0]!.postMessage(fx.group.id, '@assistant count slowly');
    const doc = owner.doc;
    const reply = await waitFor(() => botReplyTo(doc, trigger.id), { message: 'the answer' });
    doc.transact(() => {
      const { messages, deletions } = groupDoc(doc);
      deletions.set(reply.id, { by: fx.owner.userId, at: Date.now() });
      messages.delete(messages.toArray().indexOf(reply), 1);
    });
    // The server hangs up on the model service at its next write instead of going on.
    const request = await waitFor(() => fake.requests.find((r) => r.raw.includes('count slowly')));
    await waitFor(() => request.outcome, { message: 'the request to end' });
    expect(request.outcome).toBe('aborted');
    expect(groupDoc(doc).edits.get(reply.id)?.text ?? '').not.toContain('five');
  });

  it('ends a running answer with a note when the server shuts down, without hanging', async () => {
    const own = await startTestServer({
      env: { GEMINI_API_KEY: KEY, GEMINI_MODEL: MODEL, GEMINI_BASE_URL: fake.url },
    });
    const fx = await groupWithMembers(own.url, 1, 'shutting down');
    await fx.owner.expect(200, fx.owner.patch(`/api/groups/${fx.group.id}`, { botEnabled: true }));
    fake.reply({ chunks: ['slow', ' answer'], delayMs: 5_000 });
    const provider = connectProvider(fx.members[0]!, fx.group.id);
    await waitSynced(provider);
    const trigger = writeMessage(provider.doc, fx.members[0]!.userId, '@assistant take your time');
    const reply = await waitFor(() => botReplyTo(provider.doc, trigger.id), {
      message: 'the answer',
    });
    await own.close();
    // Written before the relay closed the sockets, so it reached the client first.
    await waitFor(() => shownText(provider.doc, reply) !== '…', { message: 'the closing note' });
    // Whether the first piece had arrived is a race: if it had, it stays before the note.
    expect(shownText(provider.doc, reply)).toMatch(
      /^(slow\n\n\(The assistant could not finish: |The assistant could not answer \()the server is restarting\.\)$/,
    );
  });
});

describe('assistant without a key', () => {
  it('is unavailable: enabling it is refused, disabling still works, no bot account', async () => {
    const bare = await startTestServer();
    const group = await groupWithMembers(bare.url, 0, 'no key');
    const config = await group.owner.expect(200, group.owner.get('/api/config'));
    expect(serverConfigResponseSchema.parse(config.body).assistant.available).toBe(false);

    const refused = await group.owner.patch(`/api/groups/${group.group.id}`, { botEnabled: true });
    expect(refused.status).toBe(409);
    expect(errorBodySchema.parse(refused.body).error.message).toBe(
      'the assistant is not configured on this server',
    );
    await group.owner.expect(
      200,
      group.owner.patch(`/api/groups/${group.group.id}`, {
        botEnabled: false,
        name: 'still editable',
      }),
    );
    expect(bare.query('SELECT id FROM users WHERE is_bot = 1')).toEqual([]);
  });
});

describe('the bot account', () => {
  it('cannot sign in, even after an admin gave it a password', async () => {
    const [bot] = server.query<{ id: UserId; username: string }>(
      'SELECT id, username FROM users WHERE is_bot = 1',
    );
    expect(bot?.username).toBe('assistant');
    await admin.expect(
      204,
      admin.post(`/api/admin/users/${bot!.id}/password`, {
        newPassword: 'a password for the bot',
      }),
    );
    const login = await admin.post('/api/auth/login', {
      login: 'assistant',
      password: 'a password for the bot',
    });
    expect(login.status).toBe(401);
  });
});
