// The persistence pipeline: one transaction per event-loop turn for all rooms, one merged
// broadcast per room, nothing forwarded before it is stored, and a failed commit drops
// the affected rooms (clients reconnect and re-send) instead of serving unstored items.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import * as Y from 'yjs';
import { appendMessage, CloseCode, groupDoc, makeId, MessageType } from '@canopy/shared';
import type { GroupId, MessageId } from '@canopy/shared';
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
import type { DocStore, RoomWrite } from './doc-store.js';
import { createSqliteDocStore } from './sqlite-doc-store.js';
import { decodeFrame, encodeSyncStep1 } from './protocol.js';
import { RoomUnavailableError } from './relay-errors.js';

describe('flush pipeline', () => {
  let tmp: ReturnType<typeof tempDir>;
  let sqlite: Database;
  let audit: AuditRecord[];
  let server: RelayServer | null = null;
  let alice: TestUser;
  let g1: GroupId;
  let g2: GroupId;
  const clients: TestClient[] = [];
  let batches: RoomWrite[][];
  let failNext: boolean;

  beforeEach(async () => {
    tmp = tempDir();
    sqlite = openTestDatabase(`${tmp.dir}/db.sqlite`);
    audit = [];
    alice = addUser(sqlite, 'alice');
    g1 = addGroup(sqlite, alice.userId);
    g2 = addGroup(sqlite, alice.userId);
    batches = [];
    failNext = false;
    const inner = createSqliteDocStore(sqlite);
    const store: DocStore = {
      ...inner,
      appendBatch: (writes, at) => {
        batches.push([...writes]);
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('disk full'));
        }
        return inner.appendBatch(writes, at);
      },
    };
    server = await startRelayServer(sqlite, audit, { store });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.stop();
    sqlite.close();
    tmp.remove();
  });

  it('stores one turn of all rooms in one transaction, one merged row and one frame per room', async () => {
    const raw = openRaw(server!.syncUrl, g1, { cookie: alice.cookie });
    await raw.handshake;
    raw.ws.send(encodeSyncStep1(new Uint8Array([0])));
    await waitFor(() => raw.frames.length >= 2, 'greeting and step 2');
    await Promise.all([server!.relay.listMessages(g2, { limit: 1 })]); // load g2 too
    const before = raw.frames.length;
    batches = [];
    await Promise.all([
      server!.relay.postMessage(g1, alice.userId, { text: 'one' }),
      server!.relay.postMessage(g2, alice.userId, { text: 'two' }),
      server!.relay.postMessage(g1, alice.userId, { text: 'three' }),
    ]);
    expect(batches).toHaveLength(1);
    const [batch] = batches as [RoomWrite[]];
    // g1's two updates of this turn are stored as one merged row, the bytes it forwards
    expect(batch.map((w) => [w.groupId, w.updates.length])).toEqual([
      [g1, 1],
      [g2, 1],
    ]);
    await waitFor(() => raw.frames.length > before, 'the broadcast');
    const updates = raw.frames.slice(before).filter((f) => f[0] === MessageType.SYNC);
    expect(updates).toHaveLength(1);
    const frame = decodeFrame(updates[0] as Buffer);
    const doc = new Y.Doc();
    if (frame.kind !== 'sync-update') throw new Error(`unexpected ${frame.kind}`);
    Y.applyUpdate(doc, frame.update);
    expect(
      groupDoc(doc)
        .messages.toArray()
        .map((m) => m.text),
    ).toEqual(['one', 'three']);
    raw.ws.close();
  });

  it('drops the rooms of a failed commit; clients reconnect and re-send, nothing is lost', async () => {
    const a = connectClient(server!.syncUrl, g1, alice);
    const b = connectClient(server!.syncUrl, g1, alice);
    clients.push(a, b);
    const closes: number[] = [];
    b.provider.on('connection-close', (event) => closes.push(closeCode(event)));
    await waitFor(() => a.provider.synced && b.provider.synced, 'synced');
    failNext = true;
    appendMessage(a.doc, {
      id: makeId<MessageId>(),
      authorId: alice.userId,
      createdAt: 1,
      kind: 'text',
      text: 'x',
    });
    await waitFor(() => closes.includes(CloseCode.ROOM_UNAVAILABLE), 'room dropped');
    expect(groupDoc(b.doc).messages.length).toBe(0); // never forwarded unstored
    await expect(server!.relay.postMessage(g2, alice.userId, { text: 'y' })).resolves.toBeTruthy();
    await waitFor(() => groupDoc(b.doc).messages.length === 1, 'a re-sent it after reconnecting');
    const page = await server!.relay.listMessages(g1, { limit: 5 });
    expect(page.messages.map((m) => m.text)).toEqual(['x']);
  });

  it('rejects postMessage with RoomUnavailableError when its commit fails', async () => {
    failNext = true;
    await expect(
      server!.relay.postMessage(g1, alice.userId, { text: 'lost' }),
    ).rejects.toBeInstanceOf(RoomUnavailableError);
    const page = await server!.relay.listMessages(g1, { limit: 5 });
    expect(page.messages).toEqual([]);
  });
});
