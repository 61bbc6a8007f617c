// Issue 2: the HTTP message API reads and writes the same Yjs document as live clients:
// a posted message reaches a connected stock provider at once, and GET pages through
// what providers wrote; PATCH and DELETE edit and delete the way clients do (author, or a
// moderator for deletions). Bad requests get clear errors.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  MAX_MESSAGE_TEXT,
  appendMessage,
  errorBodySchema,
  groupDoc,
  makeId,
} from '@canopy/shared';
import type { MessageId, MessageRecord } from '@canopy/shared';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { groupWithMembers, messageIds, writeMessage } from '../utils/fixtures.js';
import type { GroupFixture } from '../utils/fixtures.js';
import { newUser } from '../utils/http-client.js';
import { connectProvider, waitFor, waitSynced } from '../utils/ws-provider.js';

let server: TestServer;
let fx: GroupFixture;

beforeAll(async () => {
  server = await startTestServer();
  fx = await groupWithMembers(server.url, 1);
});

function errorCode(body: unknown): string {
  return errorBodySchema.parse(body).error.code;
}

describe('message API', () => {
  it('POST answers 201 with the record, a live provider sees it, GET returns it', async () => {
    const member = fx.members[0]!;
    const provider = connectProvider(member, fx.group.id);
    await waitSynced(provider);

    const posted = await fx.owner.postMessage(fx.group.id, '  hello from a script  ');
    expect(posted).toMatchObject({
      authorId: fx.owner.userId,
      kind: 'text',
      text: 'hello from a script',
    });
    await waitFor(() => messageIds(provider.doc).includes(posted.id), {
      timeout: 5_000,
      message: 'provider to see the posted message',
    });
    expect(
      groupDoc(provider.doc)
        .messages.toArray()
        .find((m) => m.id === posted.id),
    ).toEqual(posted);

    const listed = await member.listMessages(fx.group.id);
    expect(listed.messages.map((m) => m.id)).toEqual([posted.id]);
    expect(listed.hasMore).toBe(false);
  });

  it('GET pages, oldest first, through messages written by live clients', async () => {
    const member = fx.members[0]!;
    const group = await fx.owner.createGroup('paging', [member.userId]);
    const provider = connectProvider(member, group.id);
    await waitSynced(provider);
    const written: string[] = [];
    for (let i = 0; i < 120; i++)
      written.push(writeMessage(provider.doc, member.userId, `m${i}`).id);
    await waitFor(
      async () => (await member.listMessages(group.id, '?limit=500')).messages.length === 120,
      {
        timeout: 10_000,
        message: 'the API to list 120 messages',
      },
    );
    const last50 = await member.listMessages(group.id, '?limit=50');
    expect(last50.messages.map((m) => m.id)).toEqual(written.slice(70));
    expect(last50.hasMore).toBe(true);
    const before = await member.listMessages(group.id, `?limit=50&before=${written[70]}`);
    expect(before.messages.map((m) => m.id)).toEqual(written.slice(20, 70));
    const first = await member.listMessages(group.id, `?limit=50&before=${written[20]}`);
    expect(first.messages.map((m) => m.id)).toEqual(written.slice(0, 20));
    expect(first.hasMore).toBe(false);
  });

  it('GET tells a file on its way from one whose upload failed and one that is stored', async () => {
    const member = fx.members[0]!;
    const group = await fx.owner.createGroup('files', [member.userId]);
    const provider = connectProvider(member, group.id);
    await waitSynced(provider);
    // Records written when the files were attached, before their bytes reached the server.
    const file = (name: string): MessageRecord => ({
      id: makeId<MessageId>(),
      authorId: member.userId,
      createdAt: Date.now(),
      kind: 'file',
      text: name,
      attachment: { sha256: 'ab'.repeat(32), mime: 'text/plain', size: 5, pending: true },
    });
    const [uploading, stored, failed] = [file('a.txt'), file('b.txt'), file('c.txt')];
    provider.doc.transact(() => {
      for (const record of [uploading, stored, failed]) appendMessage(provider.doc, record);
      const { uploads } = groupDoc(provider.doc);
      uploads.set(stored.id, { state: 'stored', at: Date.now() });
      uploads.set(failed.id, { state: 'failed', at: Date.now() });
    });
    await waitFor(async () => (await member.listMessages(group.id)).messages.length === 3, {
      timeout: 5_000,
      message: 'the API to list the three files',
    });
    const listed = (await member.listMessages(group.id)).messages;
    const view = listed.map((m) => [
      m.text,
      m.attachment?.pending ?? false,
      m.uploadFailed ?? false,
    ]);
    expect(view).toEqual([
      ['a.txt', true, false],
      ['b.txt', false, false],
      ['c.txt', true, true],
    ]);
  });

  it("PATCH edits the author's message and DELETE removes it (author or moderator), live", async () => {
    const member = fx.members[0]!;
    const provider = connectProvider(fx.owner, fx.group.id);
    await waitSynced(provider);
    const mine = await member.postMessage(fx.group.id, 'first draft');
    const path = `/api/groups/${fx.group.id}/messages/${mine.id}`;

    await member.expect(204, member.patch(path, { text: '  final text ' }));
    await waitFor(() => groupDoc(provider.doc).edits.get(mine.id)?.text === 'final text', {
      message: 'the live provider to see the edit',
    });
    expect((await member.listMessages(fx.group.id)).messages.at(-1)?.text).toBe('final text');
    // Someone else's message: no edit (404, as for a message that is not there), no delete
    // for a plain member (403); bad ids and bodies are refused clearly.
    const owners = await fx.owner.postMessage(fx.group.id, 'the owner speaks');
    const ownersPath = `/api/groups/${fx.group.id}/messages/${owners.id}`;
    const foreignEdit = await member.patch(ownersPath, { text: 'hijacked' });
    expect(foreignEdit.status).toBe(404);
    const foreignDelete = await member.delete(ownersPath);
    expect(foreignDelete.status).toBe(403);
    expect(errorCode(foreignDelete.body)).toBe(ErrorCode.FORBIDDEN);
    expect((await member.patch(path, { text: '' })).status).toBe(422);
    expect((await member.patch(path, { text: 'x', extra: 1 })).status).toBe(422);
    expect((await member.delete(`/api/groups/${fx.group.id}/messages/../x`)).status).toBe(404);

    // The author deletes their own; the owner (a moderator) deletes the member's next one.
    await member.expect(204, member.delete(path));
    const next = await member.postMessage(fx.group.id, 'moderate me');
    await fx.owner.expect(204, fx.owner.delete(`/api/groups/${fx.group.id}/messages/${next.id}`));
    await waitFor(
      () =>
        !messageIds(provider.doc).includes(mine.id) && !messageIds(provider.doc).includes(next.id),
      { message: 'the live provider to see both deletions' },
    );
    expect(groupDoc(provider.doc).deletions.get(next.id)?.by).toBe(fx.owner.userId);
    const texts = (await member.listMessages(fx.group.id)).messages.map((m) => m.text);
    expect(texts).not.toContain('final text');
    expect(texts).not.toContain('moderate me');
    expect(texts).toContain('the owner speaks');
    expect((await member.delete(path)).status).toBe(404);
  });

  it('refuses outsiders and bad requests with clear errors, and keeps serving', async () => {
    const outsider = await newUser(server.url, 'outsider');
    const post = await outsider.post(`/api/groups/${fx.group.id}/messages`, { text: 'hi' });
    expect([403, 404]).toContain(post.status);
    const get = await outsider.get(`/api/groups/${fx.group.id}/messages`);
    expect([403, 404]).toContain(get.status);
    expect((await outsider.post(`/api/groups/${makeId()}/messages`, { text: 'hi' })).status).toBe(
      404,
    );

    const owner = fx.owner;
    const path = `/api/groups/${fx.group.id}/messages`;
    const countBefore = (await owner.listMessages(fx.group.id, '?limit=500')).messages.length;
    const cases: [unknown, number, string][] = [
      [{ text: '' }, 422, ErrorCode.VALIDATION],
      [{ text: '   ' }, 422, ErrorCode.VALIDATION],
      [{ text: 42 }, 422, ErrorCode.VALIDATION],
      [{ text: 'x'.repeat(MAX_MESSAGE_TEXT + 1) }, 422, ErrorCode.VALIDATION],
      [{ text: 'hi', authorId: outsider.userId }, 422, ErrorCode.VALIDATION],
      [{ text: 'hi', replyTo: '../x' }, 422, ErrorCode.VALIDATION],
    ];
    for (const [body, status, code] of cases) {
      const r = await owner.post(path, body);
      expect({ body: JSON.stringify(body).slice(0, 60), status: r.status }).toEqual({
        body: JSON.stringify(body).slice(0, 60),
        status,
      });
      expect(errorCode(r.body)).toBe(code);
    }
    const malformed = await owner.request('POST', path, { body: '{"text":' });
    expect(malformed.status).toBe(400);
    for (const query of ['?limit=0', '?limit=501', '?limit=abc', '?before=../x']) {
      const r = await owner.get(`${path}${query}`);
      expect([400, 422], `status for ${query}`).toContain(r.status);
    }
    expect((await owner.listMessages(fx.group.id, '?limit=500')).messages.length).toBe(countBefore);
  });
});
