// End-to-end relay behaviour with the stock y-websocket WebsocketProvider over real
// sockets and a real SQLite file: convergence, persistence across relay restarts,
// the message API and activity events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import {
  appendMessage,
  CloseCode,
  groupDoc,
  makeId,
  MAX_MESSAGE_TEXT,
  MessageType,
} from '@canopy/shared';
import type { GroupId, MessageId, MessageRecord, UserId } from '@canopy/shared';
import {
  addGroup,
  addUser,
  closeCode,
  connectClient,
  openRaw,
  openTestDatabase,
  startRelayServer,
  tempDir,
  waitFor,
} from './testing/relay-harness.js';
import type { AuditRecord, RelayServer, TestClient, TestUser } from './testing/relay-harness.js';
import type { RoomActivity } from './relay-types.js';
import { GroupNotFoundError, InvalidMessageError } from './relay-errors.js';
import { encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate, SyncType } from './protocol.js';
import { createSqliteDocStore } from './sqlite-doc-store.js';

const message = (authorId: UserId, text: string): MessageRecord => ({
  id: makeId<MessageId>(),
  authorId,
  createdAt: Date.now(),
  kind: 'text',
  text,
});

const texts = (doc: Y.Doc): string[] =>
  groupDoc(doc)
    .messages.toArray()
    .map((m) => m.text ?? '');

describe('relay with the stock WebsocketProvider', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  let sqlite: Database;
  let audit: AuditRecord[];
  let server: RelayServer | null;
  let alice: TestUser;
  let bob: TestUser;
  let groupId: GroupId;
  const clients: TestClient[] = [];
  let closeCodes: [TestUser, number][] = [];

  const connect = (user: TestUser, params?: Record<string, string>): TestClient => {
    const client = connectClient(server!.syncUrl, groupId, user, params ? { params } : {});
    client.provider.on('connection-close', (event) => closeCodes.push([user, closeCode(event)]));
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    tmp = tempDir();
    file = `${tmp.dir}/db.sqlite`;
    sqlite = openTestDatabase(file);
    audit = [];
    closeCodes = [];
    alice = addUser(sqlite, 'alice');
    bob = addUser(sqlite, 'bob');
    groupId = addGroup(sqlite, alice.userId, [bob.userId]);
    server = await startRelayServer(sqlite, audit);
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.stop();
    sqlite.close();
    tmp.remove();
  });

  it('two providers converge, in the same order, and the log is on disk', async () => {
    const a = connect(alice);
    const b = connect(bob);
    await waitFor(() => a.provider.synced && b.provider.synced, 'both synced');
    for (let i = 0; i < 50; i++) {
      appendMessage(a.doc, message(alice.userId, `a${i}`));
      appendMessage(b.doc, message(bob.userId, `b${i}`));
    }
    await waitFor(
      () => texts(a.doc).length === 100 && texts(b.doc).length === 100,
      'both docs hold 100 messages',
    );
    expect(texts(a.doc)).toEqual(texts(b.doc));
    await server!.relay.flush();
    const rows = sqlite.prepare('SELECT COUNT(*) FROM doc_updates WHERE group_id = ?').pluck();
    expect(rows.get(groupId)).toBeGreaterThan(0);
  });

  it('keeps everything across a restart on the same file (snapshot + log)', async () => {
    const a = connect(alice);
    await waitFor(() => a.provider.synced, 'synced');
    for (let i = 0; i < 30; i++) appendMessage(a.doc, message(alice.userId, `m${i}`));
    // One row per flush (a turn's updates merged): wait for all 30 messages, not 30 rows.
    let stored = 0;
    for (const deadline = Date.now() + 10_000; stored < 30 && Date.now() < deadline;) {
      await server!.relay.flush();
      stored = (await server!.relay.listMessages(groupId, { limit: 50 })).messages.length;
      if (stored < 30) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(stored).toBe(30);
    const before = Y.encodeStateAsUpdate(a.doc);
    a.destroy();
    clients.length = 0;
    await server!.stop();
    // close() compacted: a snapshot and no log rows remain
    expect(sqlite.prepare('SELECT COUNT(*) FROM doc_snapshots').pluck().get()).toBe(1);
    // add log rows after the snapshot through a second relay, then restart once more
    server = await startRelayServer(sqlite, audit, { compactEvery: 1_000 });
    await server.relay.postMessage(groupId, bob.userId, { text: 'after restart' });
    await server.stop();
    sqlite.close();
    sqlite = openTestDatabase(file);
    server = await startRelayServer(sqlite, audit);
    const c = connect(bob);
    await waitFor(() => c.provider.synced, 'synced after restart');
    expect(texts(c.doc)).toEqual([
      ...Array.from({ length: 30 }, (_, i) => `m${i}`),
      'after restart',
    ]);
    const original = new Y.Doc();
    Y.applyUpdate(original, before);
    expect(texts(c.doc).slice(0, 30)).toEqual(texts(original));
  });

  it('postMessage reaches a live provider, binds a server client id and reports activity', async () => {
    const activity: RoomActivity[] = [];
    server!.relay.onActivity((a) => activity.push(a));
    const a = connect(alice);
    await waitFor(() => a.provider.synced, 'synced');
    const record = await server!.relay.postMessage(groupId, bob.userId, { text: 'hello' });
    expect(record.authorId).toBe(bob.userId);
    await waitFor(() => texts(a.doc).includes('hello'), 'live provider sees the API message');
    const binding = sqlite
      .prepare('SELECT user_id FROM client_bindings WHERE group_id = ?')
      .pluck()
      .all(groupId);
    expect(binding).toEqual([bob.userId]);
    expect(activity).toEqual([
      { groupId, authorId: bob.userId, messageId: record.id, at: expect.any(Number) as number },
    ]);
    appendMessage(a.doc, message(alice.userId, 'from socket'));
    await waitFor(() => activity.length === 2, 'activity from a socket update');
    expect(activity[1]?.authorId).toBe(alice.userId);
    const page = await server!.relay.listMessages(groupId, { limit: 1 });
    expect(page.messages.map((m) => m.text)).toEqual(['from socket']);
    expect(page.hasMore).toBe(true);
  });

  it('sends ACK frames only to clients that asked, after the update is stored', async () => {
    const acks: { sv: Map<number, number>; rows: number }[] = [];
    const stray: Uint8Array[] = [];
    const rows = sqlite.prepare('SELECT COUNT(*) FROM doc_updates').pluck();
    const a = connect(alice, { ack: '1' });
    a.provider.messageHandlers[MessageType.ACK] = (_encoder, decoder) => {
      acks.push({
        sv: Y.decodeStateVector(decoding.readVarUint8Array(decoder)),
        rows: rows.get() as number,
      });
    };
    const b = connect(bob);
    b.provider.messageHandlers[MessageType.ACK] = (_encoder, decoder) => {
      stray.push(decoding.readVarUint8Array(decoder));
    };
    await waitFor(() => a.provider.synced && b.provider.synced, 'synced');
    await waitFor(() => acks.length === 1, 'the ACK after the initial sync');
    appendMessage(a.doc, message(alice.userId, 'acked'));
    const clock = Y.decodeStateVector(Y.encodeStateVector(a.doc)).get(a.doc.clientID) ?? 0;
    expect(clock).toBeGreaterThan(0);
    await waitFor(
      () => acks.some((ack) => (ack.sv.get(a.doc.clientID) ?? 0) >= clock),
      'an ACK covering the update',
    );
    const covering = acks.find((ack) => (ack.sv.get(a.doc.clientID) ?? 0) >= clock);
    expect(covering?.rows).toBeGreaterThan(0); // stored before acknowledged
    // bob's own update is acknowledged to alice too (she asked), never to bob
    appendMessage(b.doc, message(bob.userId, 'not acked'));
    await waitFor(() => acks.some((ack) => ack.sv.has(b.doc.clientID)), 'ACK of bob update');
    expect(stray).toEqual([]);
  });

  it('coalesces ACKs under load; the last one covers everything stored', async () => {
    const acks: Map<number, number>[] = [];
    const a = connect(alice, { ack: '1' });
    a.provider.messageHandlers[MessageType.ACK] = (_encoder, decoder) => {
      acks.push(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
    };
    await waitFor(() => a.provider.synced && acks.length === 1, 'synced and first ACK');
    for (let i = 0; i < 20; i++) {
      await server!.relay.postMessage(groupId, bob.userId, { text: `burst ${i}` });
    }
    const stored = new Y.Doc();
    Y.applyUpdate(
      stored,
      Y.mergeUpdates((await createSqliteDocStore(sqlite).load(groupId)).updates),
    );
    const want = Y.decodeStateVector(Y.encodeStateVector(stored));
    const covers = (sv: Map<number, number>): boolean =>
      [...want].every(([client, clock]) => (sv.get(client) ?? 0) >= clock);
    await waitFor(() => acks.some(covers), 'an ACK covering the whole burst');
    // 20 commits, each its own flush: far fewer ACK frames than commits
    expect(acks.length - 1).toBeLessThan(20);
  });

  it('relays awareness and removes a leaving client state', async () => {
    const a = connect(alice);
    const b = connect(bob);
    await waitFor(() => a.provider.synced && b.provider.synced, 'synced');
    a.provider.awareness.setLocalStateField('user', { name: 'alice' });
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 'bob sees alice');
    expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual({
      user: { name: 'alice' },
    });
    a.provider.disconnect();
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 'alice removed');
  });

  it('closes sockets by session, member and user, and on shutdown', async () => {
    const a = connect(alice);
    const b = connect(bob);
    await waitFor(() => a.provider.synced && b.provider.synced, 'synced');
    server!.relay.closeSession(alice.sessionId, CloseCode.SESSION_ENDED, 'logged out');
    server!.relay.closeMember(groupId, bob.userId, CloseCode.NOT_MEMBER, 'removed');
    await waitFor(() => closeCodes.length === 2, 'two closes');
    expect(closeCodes).toEqual(
      expect.arrayContaining([
        [alice, CloseCode.SESSION_ENDED],
        [bob, CloseCode.NOT_MEMBER],
      ]),
    );
    // 44xx codes are permanent for the stock provider: it stops until told to connect again.
    expect(a.provider.shouldConnect || b.provider.shouldConnect).toBe(false);
    a.provider.connect();
    b.provider.connect();
    await waitFor(() => a.provider.synced && b.provider.synced, 'reconnected');
    server!.relay.closeUser(bob.userId, CloseCode.BANNED, 'banned');
    await waitFor(() => closeCodes.length === 3, 'ban closes bob');
    expect(closeCodes[2]).toEqual([bob, CloseCode.BANNED]);
    await server!.relay.close();
    await waitFor(
      () => closeCodes.some(([u, code]) => u === alice && code === CloseCode.GOING_AWAY),
      'going away',
    );
    expect(server!.relay.stats()).toEqual({ openRooms: 0, connections: 0 });
  });

  it('refuses unknown groups and invalid messages with typed errors', async () => {
    await expect(
      server!.relay.postMessage(makeId<GroupId>(), alice.userId, { text: 'x' }),
    ).rejects.toBeInstanceOf(GroupNotFoundError);
    await expect(
      server!.relay.listMessages('../x' as GroupId, { limit: 5 }),
    ).rejects.toBeInstanceOf(GroupNotFoundError);
    await expect(
      server!.relay.postMessage(groupId, alice.userId, { text: 'x'.repeat(MAX_MESSAGE_TEXT + 1) }),
    ).rejects.toBeInstanceOf(InvalidMessageError);
    const first = await server!.relay.postMessage(groupId, alice.userId, { text: 'one' });
    await server!.relay.postMessage(groupId, alice.userId, { text: 'two' });
    const page = await server!.relay.listMessages(groupId, { limit: 5, before: first.id });
    expect(page).toEqual({ messages: [], hasMore: false });
    const all = await server!.relay.listMessages(groupId, { limit: 5 });
    expect(all.messages.map((m) => m.text)).toEqual(['one', 'two']);
    expect(server!.relay.stats().connections).toBe(0);
  });

  // Regression: an update that arrived before its dependencies closed an honest client
  // (it happens when a client edits right after reconnecting, before its step 2 is out).
  it('keeps updates that arrive before their dependencies, serving them only once stored', async () => {
    const author = new Y.Doc();
    appendMessage(author, message(alice.userId, 'first'));
    const first = Y.encodeStateAsUpdate(author);
    const sv = Y.encodeStateVector(author);
    appendMessage(author, message(alice.userId, 'second'));
    const second = Y.encodeStateAsUpdate(author, sv); // depends on `first`
    const raw = openRaw(server!.syncUrl, groupId, { cookie: alice.cookie });
    expect(await raw.handshake).toBe(101);
    raw.ws.send(encodeSyncUpdate(second));
    await server!.relay.flush();
    const b = connect(bob);
    await waitFor(() => b.provider.synced, 'bob synced');
    expect(texts(b.doc)).toEqual([]);
    expect(b.doc.store.pendingStructs).toBeNull(); // the unstored item was not served
    raw.ws.send(encodeSyncUpdate(first));
    await waitFor(() => texts(b.doc).length === 2, 'both arrive once integrated');
    expect(texts(b.doc)).toEqual(['first', 'second']);
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
    const stored = await createSqliteDocStore(sqlite).load(groupId);
    const reloaded = new Y.Doc();
    for (const u of stored.updates) Y.applyUpdate(reloaded, u);
    expect(texts(reloaded)).toEqual(['first', 'second']);
    raw.ws.close();
  });
  // Regression: a step 1 that arrives while updates that change nothing (a stock client's
  // step 2 when it has nothing new) wait for the flush was never answered.
  it('answers a step 1 queued behind updates that change nothing', async () => {
    await server!.relay.postMessage(groupId, alice.userId, { text: 'history' });
    const raw = openRaw(server!.syncUrl, groupId, { cookie: alice.cookie });
    expect(await raw.handshake).toBe(101);
    const replies = raw.frames.length;
    const empty = new Y.Doc();
    raw.ws.send(encodeSyncStep2(Y.encodeStateAsUpdate(empty)));
    raw.ws.send(encodeSyncStep1(Y.encodeStateVector(empty)));
    const synced = new Y.Doc();
    await waitFor(() => {
      for (const frame of raw.frames.slice(replies)) {
        const decoder = decoding.createDecoder(frame);
        if (decoding.readVarUint(decoder) !== MessageType.SYNC) continue;
        if (decoding.readVarUint(decoder) !== SyncType.STEP2) continue;
        Y.applyUpdate(synced, decoding.readVarUint8Array(decoder));
      }
      return texts(synced).length > 0;
    }, 'step 2 answered');
    expect(texts(synced)).toEqual(['history']);
    raw.ws.close();
  });
});
