// Everything the relay refuses: bad paths, missing sessions, foreign origins, non-members,
// garbage frames, floods, oversized frames and documents, guard refusals. Each refusal
// affects only the offending socket and creates no document.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import * as Y from 'yjs';
import { appendMessage, CloseCode, groupDoc, makeId } from '@canopy/shared';
import type { GroupId, MessageId, UserId } from '@canopy/shared';
import {
  addGroup,
  addUser,
  ALLOWED_ORIGIN,
  connectClient,
  openRaw,
  openTestDatabase,
  startRelayServer,
  tempDir,
  waitFor,
} from './testing/relay-harness.js';
import type { AuditRecord, RelayServer, TestClient, TestUser } from './testing/relay-harness.js';
import type { RelayOptions } from './relay-types.js';
import type { RoomGuardFactory } from './update-guard.js';
import { encodeSyncStep2, encodeSyncUpdate } from './protocol.js';

const updateWithMessage = (clientId: number, authorId: UserId, text: string): Uint8Array => {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  appendMessage(doc, { id: makeId<MessageId>(), authorId, createdAt: 1, kind: 'text', text });
  return Y.encodeStateAsUpdate(doc);
};

// A minimal identity rule for exercising the relay's guard plumbing: an update may only
// carry client ids that are unbound or bound to the sender.
const identityGuard: RoomGuardFactory = ({ bindings }) => ({
  checkUpdate(update, sender) {
    const fresh = new Set<number>();
    for (const struct of Y.decodeUpdate(update).structs) {
      const owner = bindings.get(struct.id.client);
      if (owner === undefined) fresh.add(struct.id.client);
      else if (owner !== sender.userId) {
        return { ok: false, code: CloseCode.UPDATE_REJECTED, reason: 'foreign client id' };
      }
    }
    return { ok: true, newClientIds: [...fresh] };
  },
  checkAwareness: (update) => ({ ok: true, update }),
  destroy: () => undefined,
});

describe('relay refusals', () => {
  let tmp: ReturnType<typeof tempDir>;
  let sqlite: Database;
  let audit: AuditRecord[];
  let server: RelayServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let groupId: GroupId;
  const clients: TestClient[] = [];

  const start = async (overrides: Partial<RelayOptions> = {}): Promise<void> => {
    server = await startRelayServer(sqlite, audit, overrides);
  };
  const count = (table: string): number =>
    sqlite.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
  const connect = (user: TestUser, group: string = groupId): TestClient => {
    const client = connectClient(server.syncUrl, group, user);
    clients.push(client);
    return client;
  };

  beforeEach(() => {
    tmp = tempDir();
    sqlite = openTestDatabase(`${tmp.dir}/db.sqlite`);
    audit = [];
    alice = addUser(sqlite, 'alice');
    bob = addUser(sqlite, 'bob');
    carol = addUser(sqlite, 'carol');
    groupId = addGroup(sqlite, alice.userId, [bob.userId]);
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
    sqlite.close();
    tmp.remove();
  });

  it('answers bad paths, missing sessions and foreign origins with HTTP errors', async () => {
    await start();
    const cookie = { cookie: alice.cookie };
    const cases: [string, Record<string, string>, number][] = [
      ['', cookie, 400],
      ['short', cookie, 400],
      ['../x', cookie, 400],
      ['%2e%2e%2fxxxxxxxxxxxxxxxxxxxx', cookie, 400],
      ['a'.repeat(33), cookie, 400],
      [`${groupId}/extra`, cookie, 400],
      [groupId, {}, 401],
      [groupId, { cookie: 'canopy_session=forged' }, 401],
      [groupId, { ...cookie, origin: 'http://evil.test' }, 403],
    ];
    for (const [path, headers, status] of cases) {
      const raw = openRaw(server.syncUrl, path, headers);
      expect(await raw.handshake, `${path} ${JSON.stringify(Object.keys(headers))}`).toBe(status);
    }
    const ok = openRaw(server.syncUrl, groupId, { ...cookie, origin: ALLOWED_ORIGIN });
    expect(await ok.handshake).toBe(101);
    ok.ws.close();
    await ok.closed;
  });

  it('closes non-members and unknown groups with their codes and creates nothing', async () => {
    await start();
    const notMember = openRaw(server.syncUrl, groupId, { cookie: carol.cookie });
    notMember.ws.on('open', () =>
      notMember.ws.send(encodeSyncUpdate(updateWithMessage(7, carol.userId, 'x'))),
    );
    expect((await notMember.closed).code).toBe(CloseCode.NOT_MEMBER);
    const noGroup = openRaw(server.syncUrl, makeId(), { cookie: alice.cookie });
    expect((await noGroup.closed).code).toBe(CloseCode.GROUP_NOT_FOUND);
    expect(server.relay.stats()).toEqual({ openRooms: 0, connections: 0 });
    expect(count('doc_updates') + count('doc_snapshots') + count('client_bindings')).toBe(0);
  });

  it('closes only the socket that sent garbage; other rooms keep syncing', async () => {
    await start();
    const otherGroup = addGroup(sqlite, alice.userId, [bob.userId]);
    const a = connect(alice, otherGroup);
    const b = connect(bob, otherGroup);
    await waitFor(() => a.provider.synced && b.provider.synced, 'other room synced');
    const garbage: (Buffer | string)[] = [
      Buffer.from([0xff]),
      Buffer.from([0x00]),
      Buffer.from([0x00, 0x09, 0x00]),
      Buffer.from([0x00, 0x02, 0x03, 0xff, 0xff, 0xff]),
      Buffer.from([0x00, 0x00, 0x05, 0x01]),
      Buffer.from([0x64, 0x00]),
      Buffer.from([0x02, 0x00]),
      Buffer.from([0x03, 0x00]),
      'text frame',
    ];
    for (const frame of garbage) {
      const raw = openRaw(server.syncUrl, groupId, { cookie: bob.cookie });
      expect(await raw.handshake).toBe(101);
      raw.ws.send(frame);
      expect((await raw.closed).code, `frame ${String(frame.toString('hex'))}`).toBe(
        CloseCode.BAD_FRAME,
      );
    }
    appendMessage(a.doc, {
      id: makeId<MessageId>(),
      authorId: alice.userId,
      createdAt: 1,
      kind: 'text',
      text: 'still here',
    });
    await waitFor(() => groupDoc(b.doc).messages.length === 1, 'other room still syncing');
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
  });

  it('closes floods, oversized frames and a full document with their codes', async () => {
    await start({ maxMessagesPerSecond: 10, maxFrameBytes: 4096, maxDocBytes: 3000 });
    const flood = openRaw(server.syncUrl, groupId, { cookie: bob.cookie });
    expect(await flood.handshake).toBe(101);
    for (let i = 0; i < 60; i++) flood.ws.send(Buffer.from([0x03]));
    expect((await flood.closed).code).toBe(CloseCode.RATE_LIMITED);

    const big = openRaw(server.syncUrl, groupId, { cookie: bob.cookie });
    expect(await big.handshake).toBe(101);
    big.ws.send(Buffer.alloc(5000));
    expect((await big.closed).code).toBe(CloseCode.TOO_LARGE);

    const full = openRaw(server.syncUrl, groupId, { cookie: bob.cookie });
    expect(await full.handshake).toBe(101);
    full.ws.send(encodeSyncUpdate(updateWithMessage(11, bob.userId, 'x'.repeat(3500))));
    expect((await full.closed).code).toBe(CloseCode.TOO_LARGE);
    expect(audit.map((e) => e.action)).toContain('relay.update_rejected');
    await server.relay.flush();
    expect(count('doc_updates')).toBe(0);
  });

  it('asks the guard first: refusals are audited and close one socket; new ids are bound', async () => {
    await start({ guard: identityGuard });
    const a = connect(alice);
    const b = connect(bob);
    await waitFor(() => a.provider.synced && b.provider.synced, 'synced');
    appendMessage(a.doc, {
      id: makeId<MessageId>(),
      authorId: alice.userId,
      createdAt: 1,
      kind: 'text',
      text: 'mine',
    });
    await waitFor(() => groupDoc(b.doc).messages.length === 1, 'bob sees alice');
    const bound = sqlite.prepare('SELECT client_id, user_id FROM client_bindings').all();
    expect(bound).toEqual([{ client_id: a.doc.clientID, user_id: alice.userId }]);

    // bob forges an update under alice's client id
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(a.doc));
    forged.clientID = a.doc.clientID;
    const sv = Y.encodeStateVector(forged);
    appendMessage(forged, {
      id: makeId<MessageId>(),
      authorId: alice.userId,
      createdAt: 2,
      kind: 'text',
      text: 'forged',
    });
    const raw = openRaw(server.syncUrl, groupId, { cookie: bob.cookie });
    expect(await raw.handshake).toBe(101);
    raw.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(forged, sv)));
    expect((await raw.closed).code).toBe(CloseCode.UPDATE_REJECTED);
    expect(audit).toEqual([
      {
        action: 'relay.update_rejected',
        actorId: bob.userId,
        groupId,
        details: {
          reason: 'foreign client id',
          bytes: expect.any(Number) as number,
          code: CloseCode.UPDATE_REJECTED,
        },
      },
    ]);
    // the honest sockets are untouched and nothing forged was applied or stored
    appendMessage(b.doc, {
      id: makeId<MessageId>(),
      authorId: bob.userId,
      createdAt: 3,
      kind: 'text',
      text: 'ok',
    });
    await waitFor(() => groupDoc(a.doc).messages.length === 2, 'alice sees bob');
    const page = await server.relay.listMessages(groupId, { limit: 10 });
    expect(page.messages.map((m) => m.text)).toEqual(['mine', 'ok']);
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
  });

  it('drops sockets that stop answering pings, keeps those that answer', async () => {
    await start({ pingIntervalMs: 40 });
    const honest = connect(alice);
    await waitFor(() => honest.provider.synced, 'synced');
    const dead = openRaw(server.syncUrl, groupId, { cookie: bob.cookie }, { autoPong: false });
    expect(await dead.handshake).toBe(101);
    expect((await dead.closed).code).toBe(1006); // terminated, no close frame
    expect(honest.provider.wsconnected).toBe(true);
    expect(server.relay.stats().connections).toBe(1);
  });

  it('judges every update with the membership and role of now, not of the upgrade', async () => {
    const roles: string[] = [];
    const kinds: string[] = [];
    const recording: RoomGuardFactory = () => ({
      checkUpdate: (_update, sender, kind) => {
        roles.push(sender.role);
        kinds.push(kind ?? 'none');
        return { ok: true, newClientIds: [] };
      },
      checkAwareness: (update) => ({ ok: true, update }),
      destroy: () => undefined,
    });
    await start({ guard: recording });
    const raw = openRaw(server.syncUrl, groupId, { cookie: bob.cookie });
    expect(await raw.handshake).toBe(101);
    raw.ws.send(encodeSyncUpdate(updateWithMessage(21, bob.userId, 'as member')));
    await waitFor(() => roles.length === 1, 'first update judged');
    sqlite.prepare("UPDATE group_members SET role = 'admin' WHERE user_id = ?").run(bob.userId);
    raw.ws.send(encodeSyncStep2(updateWithMessage(22, bob.userId, 'as admin')));
    await waitFor(() => roles.length === 2, 'second update judged');
    expect(roles).toEqual(['member', 'admin']);
    expect(kinds).toEqual(['update', 'sync-step-2']); // the guard may allow a catch-up more
    sqlite.prepare('DELETE FROM group_members WHERE user_id = ?').run(bob.userId);
    raw.ws.send(encodeSyncUpdate(updateWithMessage(23, bob.userId, 'removed')));
    expect((await raw.closed).code).toBe(CloseCode.NOT_MEMBER);
    expect(roles).toHaveLength(2);
    const page = await server.relay.listMessages(groupId, { limit: 10 });
    expect(page.messages.map((m) => m.text)).toEqual(['as member', 'as admin']);
  });
});
