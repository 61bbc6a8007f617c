// Issue 3: the relay is the authority over the group document. Hand-crafted malicious
// clients (raw wire, their own Y.Doc, clientID tricks) try to delete, forge and overwrite
// what belongs to other members; each attempt closes the socket with UPDATE_REJECTED,
// writes an audit entry, and changes nothing for anyone (also after a restart). The
// honest counterparts (own deletes, own markers, an owner's moderation) keep working.
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode, deleteMessage, editMessage, groupDoc, reactionKey } from '@canopy/shared';
import type { MessageId, MessageRecord } from '@canopy/shared';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { groupWithMembers, messageIds, textMessage, writeMessage } from '../utils/fixtures.js';
import type { GroupFixture, HttpClient } from '../utils/fixtures.js';
import { RawClient } from '../utils/raw-client.js';
import { connectProvider, waitFor, waitSynced } from '../utils/ws-provider.js';
import type { WebsocketProvider } from 'y-websocket';

let server: TestServer;
let fx: GroupFixture;
let alice: HttpClient;
let bob: HttpClient;
let aliceProvider: WebsocketProvider;
let aliceMessage: MessageRecord;
/** close codes the server sent to alice's honest provider: must stay empty */
const aliceClosedByServer: number[] = [];

beforeAll(async () => {
  server = await startTestServer();
  fx = await groupWithMembers(server.url, 2);
  [alice, bob] = fx.members as [HttpClient, HttpClient];
  aliceProvider = connectProvider(alice, fx.group.id);
  aliceProvider.on('connection-close', (event: { code: number } | null) => {
    if (event !== null) aliceClosedByServer.push(event.code);
  });
  await waitSynced(aliceProvider);
  aliceMessage = writeMessage(aliceProvider.doc, alice.userId, 'alice speaks');
  groupDoc(aliceProvider.doc).reactions.set(reactionKey(aliceMessage.id, alice.userId, '👍'), {
    at: 1,
  });
  groupDoc(aliceProvider.doc).readMarkers.set(alice.userId, { messageId: aliceMessage.id, at: 1 });
  await waitFor(
    async () => {
      const check = await RawClient.connect(fx.owner, fx.group.id);
      await check.sync();
      const ok = messageIds(check.doc).includes(aliceMessage.id);
      check.terminate();
      return ok;
    },
    { message: "alice's message to be on the server" },
  );
});

/** A freshly synced raw connection for `user` (its own Y.Doc, optionally a chosen clientID). */
async function rawFor(user: HttpClient, clientId?: number): Promise<RawClient> {
  const doc = new Y.Doc();
  if (clientId !== undefined) doc.clientID = clientId;
  const raw = await RawClient.connect(user, fx.group.id, { doc });
  await raw.sync();
  // Yjs gives a doc a new clientID when a remote update uses its own: set it back.
  if (clientId !== undefined) doc.clientID = clientId;
  return raw;
}

/** Sends the update `change` makes and expects the socket to be closed with UPDATE_REJECTED. */
async function expectRejected(
  user: HttpClient,
  change: (doc: Y.Doc) => void,
  clientId?: number,
): Promise<void> {
  const raw = await rawFor(user, clientId);
  const update = raw.craft(change);
  expect(update.byteLength).toBeGreaterThan(2);
  if (clientId !== undefined) {
    // The crafted update really writes on the borrowed client id.
    expect(Y.decodeUpdate(update).structs.some((s) => s.id.client === clientId)).toBe(true);
  }
  await raw.sendUpdate(update);
  const closed = await raw.waitClosed(3_000);
  expect(closed.code).toBe(CloseCode.UPDATE_REJECTED);
}

/** Sends the update and expects it to be accepted: the socket stays and the server echoes state. */
async function expectAccepted(user: HttpClient, change: (doc: Y.Doc) => void): Promise<RawClient> {
  const raw = await rawFor(user);
  await raw.sendUpdate(raw.craft(change));
  expect(await raw.probe()).toBe('alive');
  return raw;
}

/** The document as a fresh client gets it from the server. */
async function serverDoc(): Promise<Y.Doc> {
  const raw = await RawClient.connect(fx.owner, fx.group.id);
  await raw.sync();
  return raw.doc;
}

function indexOf(doc: Y.Doc, id: MessageId): number {
  return messageIds(doc).indexOf(id);
}

describe('relay authority (malicious raw clients)', () => {
  it("refuses deleting another member's message; it survives for everyone", async () => {
    await expectRejected(bob, (doc) =>
      groupDoc(doc).messages.delete(indexOf(doc, aliceMessage.id), 1),
    );
    await expectRejected(bob, (doc) =>
      groupDoc(doc).deletions.set(aliceMessage.id, { by: bob.userId, at: 2 }),
    );
    await expectRejected(bob, (doc) => {
      const d = groupDoc(doc);
      d.messages.delete(0, d.messages.length);
    });
    expect(messageIds(aliceProvider.doc)).toContain(aliceMessage.id);
    expect(aliceProvider.wsconnected).toBe(true);
    const doc = await serverDoc();
    expect(messageIds(doc)).toContain(aliceMessage.id);
    expect(groupDoc(doc).deletions.size).toBe(0);

    const audit = server.query<{ actor_id: string; group_id: string; details: string }>(
      "SELECT actor_id, group_id, details FROM audit_log WHERE action = 'relay.update_rejected'",
    );
    expect(audit.length).toBeGreaterThanOrEqual(3);
    expect(audit.every((a) => a.actor_id === bob.userId && a.group_id === fx.group.id)).toBe(true);
    expect(audit.some((a) => a.details.includes('alice speaks'))).toBe(false);
  });

  it('lets a member delete their own message', async () => {
    const own = await expectAccepted(bob, (doc) => writeMessage(doc, bob.userId, 'mine, briefly'));
    const record = groupDoc(own.doc)
      .messages.toArray()
      .find((m) => m.authorId === bob.userId)!;
    await own.sendUpdate(
      own.craft((doc) => {
        editMessage(doc, record.id, bob.userId, 'mine, edited');
        deleteMessage(doc, record.id, bob.userId);
      }),
    );
    expect(await own.probe()).toBe('alive');
    await waitFor(
      () =>
        !messageIds(aliceProvider.doc).includes(record.id) &&
        groupDoc(aliceProvider.doc).deletions.has(record.id),
      {
        message: "bob's own deletion to reach alice",
      },
    );
  });

  it('refuses a forged author id, a bot message from a member, and a malformed record', async () => {
    await expectRejected(bob, (doc) =>
      groupDoc(doc).messages.insert(groupDoc(doc).messages.length, [
        textMessage(alice.userId, 'I am alice'),
      ]),
    );
    await expectRejected(bob, (doc) =>
      groupDoc(doc).messages.insert(groupDoc(doc).messages.length, [
        { ...textMessage(bob.userId, 'beep'), kind: 'bot' },
      ]),
    );
    await expectRejected(bob, (doc) =>
      groupDoc(doc).messages.insert(groupDoc(doc).messages.length, [
        { ...textMessage(bob.userId, 'x'), admin: true } as MessageRecord,
      ]),
    );
    await expectRejected(bob, (doc) =>
      groupDoc(doc).messages.insert(groupDoc(doc).messages.length, [
        { ...textMessage(bob.userId, 'x'), id: '../x' } as unknown as MessageRecord,
      ]),
    );
    const doc = await serverDoc();
    expect(
      groupDoc(doc)
        .messages.toArray()
        .some((m) => m.text === 'I am alice' || m.text === 'beep'),
    ).toBe(false);
  });

  it("refuses writing with another user's client id", async () => {
    const aliceClientId = aliceProvider.doc.clientID;
    await expectRejected(bob, (doc) => writeMessage(doc, bob.userId, 'on her id'), aliceClientId);
    await expectRejected(
      bob,
      (doc) => writeMessage(doc, alice.userId, 'as her, on her id'),
      aliceClientId,
    );
    // The owner's server-side writes (message API) use ids bound to the owner: also not bob's.
    await fx.owner.postMessage(fx.group.id, 'via the api');
    const doc = await serverDoc();
    const foreignIds = server
      .query<{ client_id: number; user_id: string }>(
        'SELECT client_id, user_id FROM client_bindings WHERE group_id = ?',
        fx.group.id,
      )
      .filter((b) => b.user_id !== bob.userId)
      .map((b) => b.client_id);
    expect(foreignIds).toContain(aliceClientId);
    expect(foreignIds.length).toBeGreaterThanOrEqual(2);
    for (const id of foreignIds.filter((i) => i !== aliceClientId)) {
      const raw = await rawFor(bob, id);
      await raw.sendUpdate(raw.craft((d) => writeMessage(d, bob.userId, 'on a foreign id')));
      const closed = await raw.waitClosed(3_000);
      expect(closed.code).toBe(CloseCode.UPDATE_REJECTED);
    }
    expect(messageIds(await serverDoc()).length).toBe(messageIds(doc).length);
  });

  it("refuses writing another user's read marker, delivered marker, reaction, edit or pin", async () => {
    const marker = { messageId: aliceMessage.id, at: 5 };
    await expectRejected(bob, (doc) => groupDoc(doc).readMarkers.set(alice.userId, marker));
    await expectRejected(bob, (doc) => groupDoc(doc).deliveredMarkers.set(alice.userId, marker));
    await expectRejected(bob, (doc) =>
      groupDoc(doc).reactions.set(reactionKey(aliceMessage.id, alice.userId, '🔥'), { at: 5 }),
    );
    await expectRejected(bob, (doc) =>
      groupDoc(doc).reactions.delete(reactionKey(aliceMessage.id, alice.userId, '👍')),
    );
    await expectRejected(bob, (doc) => groupDoc(doc).readMarkers.delete(alice.userId));
    await expectRejected(bob, (doc) =>
      groupDoc(doc).edits.set(aliceMessage.id, { text: 'edited by bob', by: bob.userId, at: 5 }),
    );
    await expectRejected(bob, (doc) =>
      groupDoc(doc).pins.set(aliceMessage.id, { by: bob.userId, at: 5 }),
    );
    await expectRejected(bob, (doc) =>
      groupDoc(doc).readMarkers.set(bob.userId, { messageId: 'not an id' as MessageId, at: 5 }),
    );

    const doc = await serverDoc();
    expect(groupDoc(doc).readMarkers.get(alice.userId)).toEqual({
      messageId: aliceMessage.id,
      at: 1,
    });
    expect(groupDoc(doc).deliveredMarkers.has(alice.userId)).toBe(false);
    expect([...groupDoc(doc).reactions.keys()]).toEqual([
      reactionKey(aliceMessage.id, alice.userId, '👍'),
    ]);
    expect([...groupDoc(doc).edits.values()].filter((e) => e.by === bob.userId)).toEqual([]);
    expect(groupDoc(doc).pins.size).toBe(0);

    // Bob's own marker and reaction are fine.
    await expectAccepted(bob, (d) => {
      groupDoc(d).readMarkers.set(bob.userId, marker);
      groupDoc(d).reactions.set(reactionKey(aliceMessage.id, bob.userId, '🔥'), { at: 5 });
    });
    await waitFor(
      () =>
        groupDoc(aliceProvider.doc).reactions.has(reactionKey(aliceMessage.id, bob.userId, '🔥')),
      {
        message: "bob's own reaction to reach alice",
      },
    );
  });

  it('refuses structural tricks: duplicate ids, foreign tombstone/pin/edit removal, nested types, unknown roots', async () => {
    // A message under the id of alice's message (then "own" edits and tombstones would follow).
    await expectRejected(bob, (doc) =>
      groupDoc(doc).messages.insert(groupDoc(doc).messages.length, [
        { ...textMessage(bob.userId, 'dup'), id: aliceMessage.id },
      ]),
    );
    // Nested shared types and roots outside the document shape.
    await expectRejected(bob, (doc) =>
      groupDoc(doc).messages.insert(groupDoc(doc).messages.length, [new Y.Map() as never]),
    );
    await expectRejected(bob, (doc) => doc.getMap('evil').set('x', { at: 1 }));
    await expectRejected(bob, (doc) =>
      doc.getArray('edits').insert(0, [{ text: 'x', by: bob.userId, at: 1 }]),
    );
    // 'messages' used as a map by a client that never synced (type confusion on the wire).
    const confused = await RawClient.connect(bob, fx.group.id, { answerSyncStep1: false });
    await confused.sendUpdate(
      confused.craft((doc) => doc.getMap('messages').set('k', textMessage(bob.userId, 'keyed'))),
    );
    expect((await confused.waitClosed(3_000)).code).toBe(CloseCode.UPDATE_REJECTED);

    // The owner tombstones, pins and alice edits; bob may remove none of it.
    const target = writeMessage(aliceProvider.doc, alice.userId, 'to be protected');
    groupDoc(aliceProvider.doc).edits.set(target.id, {
      text: 'edited by alice',
      by: alice.userId,
      at: 4,
    });
    await waitFor(async () => groupDoc(await serverDoc()).edits.has(target.id), {
      message: "alice's edit to be stored",
    });
    await expectAccepted(fx.owner, (doc) => {
      groupDoc(doc).pins.set(target.id, { by: fx.owner.userId, at: 4 });
      groupDoc(doc).deletions.set(target.id, { by: fx.owner.userId, at: 4 });
      groupDoc(doc).messages.delete(indexOf(doc, target.id), 1);
    });
    await waitFor(async () => groupDoc(await serverDoc()).pins.has(target.id), {
      message: 'the pin to be stored',
    });
    await expectRejected(bob, (doc) => groupDoc(doc).deletions.delete(target.id));
    await expectRejected(bob, (doc) => groupDoc(doc).pins.delete(target.id));
    await expectRejected(bob, (doc) => groupDoc(doc).edits.delete(target.id));
    const doc = await serverDoc();
    expect(groupDoc(doc).deletions.get(target.id)).toMatchObject({ by: fx.owner.userId });
    expect(groupDoc(doc).pins.has(target.id)).toBe(true);
    expect(groupDoc(doc).edits.get(target.id)).toMatchObject({ by: alice.userId });
    expect(messageIds(doc).filter((id) => id === aliceMessage.id)).toHaveLength(1);
  });

  it("lets the owner delete a member's message (moderation)", async () => {
    const victim = writeMessage(aliceProvider.doc, alice.userId, 'to be moderated');
    await waitFor(async () => messageIds(await serverDoc()).includes(victim.id), {
      message: 'the message to be stored',
    });
    editMessage(aliceProvider.doc, victim.id, alice.userId, 'to be moderated, edited');
    await waitFor(async () => groupDoc(await serverDoc()).edits.has(victim.id), {
      message: 'the edit to be stored',
    });
    // The helper every client uses: the item, its edit and a tombstone in one update.
    await expectAccepted(fx.owner, (doc) => deleteMessage(doc, victim.id, fx.owner.userId));
    await waitFor(() => !messageIds(aliceProvider.doc).includes(victim.id), {
      message: 'the moderation delete to reach alice',
    });
    expect(groupDoc(aliceProvider.doc).deletions.get(victim.id)).toMatchObject({
      by: fx.owner.userId,
    });
    expect(groupDoc(aliceProvider.doc).edits.has(victim.id)).toBe(false);
    expect(messageIds(aliceProvider.doc)).toContain(aliceMessage.id);
  });

  it('after a restart, the refused changes are still absent and the moderation is still there', async () => {
    const port = server.port;
    const dataDir = server.dataDir;
    expect(aliceClosedByServer).toEqual([]);
    aliceProvider.disconnect();
    await server.close();
    server = await startTestServer({ dataDir, env: { PORT: String(port) }, scope: 'file' });
    const doc = await serverDoc();
    const ids = messageIds(doc);
    expect(ids).toContain(aliceMessage.id);
    expect(
      groupDoc(doc)
        .messages.toArray()
        .some((m) => m.authorId === alice.userId && m.text === 'to be moderated'),
    ).toBe(false);
    expect(
      groupDoc(doc)
        .messages.toArray()
        .some((m) => m.text === 'I am alice' || m.text === 'on her id'),
    ).toBe(false);
    expect(groupDoc(doc).readMarkers.get(alice.userId)).toEqual({
      messageId: aliceMessage.id,
      at: 1,
    });
    expect([...groupDoc(doc).edits.values()].filter((e) => e.by === bob.userId)).toEqual([]);
    // Client ids stay bound across the restart.
    await expectRejected(
      bob,
      (d) => writeMessage(d, bob.userId, 'after restart on her id'),
      aliceProvider.doc.clientID,
    );
    // And alice reconnects and converges with what the server has.
    aliceProvider.connect();
    await waitSynced(aliceProvider);
    await waitFor(() => JSON.stringify(messageIds(aliceProvider.doc)) === JSON.stringify(ids), {
      message: 'alice to converge',
    });
  });
});
