// Issue 2: who may open /sync/<groupId>. Unauthenticated, cross-origin, non-member and
// odd-id connections are refused, and none of them creates a document (no rows in
// doc_updates, doc_snapshots or client_bindings for those ids).
import { beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, SESSION_COOKIE_NAME, makeId } from '@canopy/shared';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { groupWithMembers, writeMessage } from '../utils/fixtures.js';
import type { GroupFixture } from '../utils/fixtures.js';
import { HttpClient, newUser } from '../utils/http-client.js';
import { RawClient, upgradeStatus } from '../utils/raw-client.js';
import {
  connectProvider,
  nextProviderClose,
  waitSynced,
  withTimeout,
} from '../utils/ws-provider.js';

let server: TestServer;
let fx: GroupFixture;
let outsider: HttpClient;

beforeAll(async () => {
  server = await startTestServer();
  fx = await groupWithMembers(server.url, 1);
  outsider = await newUser(server.url, 'outsider');
});

function docRows(groupId: string): { updates: number; snapshots: number; bindings: number } {
  const count = (table: string): number =>
    server.query<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE group_id = ?`, groupId)[0]
      ?.n ?? -1;
  return {
    updates: count('doc_updates'),
    snapshots: count('doc_snapshots'),
    bindings: count('client_bindings'),
  };
}

const NO_ROWS = { updates: 0, snapshots: 0, bindings: 0 };

describe('connection refusals', () => {
  it('refuses an upgrade without a session, or with a forged one, with 401', async () => {
    const path = `/sync/${fx.group.id}`;
    const origin = new URL(server.url).origin;
    expect((await upgradeStatus(server.url, path, { origin })).status).toBe(401);
    const forged = `${SESSION_COOKIE_NAME}=${'A'.repeat(40)}`;
    expect((await upgradeStatus(server.url, path, { origin, cookie: forged })).status).toBe(401);
    // The stock provider is refused the same way and never syncs.
    const anonymous = new HttpClient(server.url);
    const refused = await RawClient.tryConnect(anonymous, fx.group.id);
    expect(refused).toMatchObject({ ok: false, status: 401 });
    await server.relay.flush();
    expect(docRows(fx.group.id)).toEqual(NO_ROWS);
  });

  it('refuses a cross-origin upgrade with 403 even with a valid session', async () => {
    const member = fx.members[0]!;
    const r = await upgradeStatus(server.url, `/sync/${fx.group.id}`, {
      origin: 'https://evil.example',
      cookie: member.cookieHeader(),
    });
    expect(r.status).toBe(403);
  });

  it('closes a non-member with NOT_MEMBER, stores nothing from it, and the stock provider stops', async () => {
    // A raw client that fires an update the moment the socket opens.
    const r = await RawClient.tryConnect(outsider, fx.group.id);
    if (r.ok) {
      const update = r.client.craft((doc) => writeMessage(doc, outsider.userId, 'intruder'));
      await r.client.sendUpdate(update);
      const closed = await r.client.waitClosed(2_000);
      expect(closed.code).toBe(CloseCode.NOT_MEMBER);
    } else {
      // Refusing before the upgrade is acceptable too, as long as it is a 403.
      expect(r.status).toBe(403);
    }

    const provider = connectProvider(outsider, fx.group.id);
    const closed = await withTimeout(
      nextProviderClose(provider),
      5_000,
      'stock provider to be closed',
    );
    expect(closed.code).toBe(CloseCode.NOT_MEMBER);
    expect(provider.synced).toBe(false);

    await server.relay.flush();
    expect(docRows(fx.group.id)).toEqual(NO_ROWS);
    // A member sees an empty document.
    const member = await RawClient.connect(fx.members[0]!, fx.group.id);
    await member.sync();
    expect(member.doc.getArray('messages').length).toBe(0);
  });

  it('closes a connection to an unknown (well-formed) group id with GROUP_NOT_FOUND and creates nothing', async () => {
    const unknown = makeId();
    const r = await RawClient.tryConnect(fx.owner, unknown);
    if (r.ok) {
      const update = r.client.craft((doc) => writeMessage(doc, fx.owner.userId, 'into the void'));
      await r.client.sendUpdate(update);
      expect((await r.client.waitClosed(2_000)).code).toBe(CloseCode.GROUP_NOT_FOUND);
    } else {
      expect(r.status).toBe(404);
    }
    await server.relay.flush();
    expect(docRows(unknown)).toEqual(NO_ROWS);
  });

  it('refuses odd group ids before the upgrade and creates no document', async () => {
    const member = fx.members[0]!;
    const headers = { origin: new URL(server.url).origin, cookie: member.cookieHeader() };
    const oddIds = [
      '../x',
      '..%2Fx',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '',
      'short',
      'a'.repeat(33),
      'a'.repeat(5000),
      'bad_chars!aaaaaaaaaaaa',
      'bad%20chars%20aaaaaaaaaa',
      'aaaaaaaaaaaaaaaa%F0%9F%98%80',
      'ünïcödé_ïd_ääääääääää',
      `${fx.group.id}/extra`,
      `${fx.group.id}%00`,
    ];
    const before = server.relay.stats().openRooms;
    for (const id of oddIds) {
      const r = await upgradeStatus(server.url, `/sync/${id}`, headers);
      expect([400, 404], `status for /sync/${id}`).toContain(r.status);
    }
    await server.relay.flush();
    const stored = server.query<{ group_id: string }>(
      `SELECT group_id FROM doc_updates UNION SELECT group_id FROM doc_snapshots UNION SELECT group_id FROM client_bindings`,
    );
    const legit = new Set<string>([fx.group.id]);
    expect(stored.map((row) => row.group_id).filter((g) => !legit.has(g))).toEqual([]);
    expect(server.relay.stats().openRooms).toBe(before);
  });

  it('lets a member sync after all those refusals', async () => {
    const member = fx.members[0]!;
    const provider = connectProvider(member, fx.group.id);
    await waitSynced(provider);
    writeMessage(provider.doc, member.userId, 'hello');
    const watcher = await RawClient.connect(fx.owner, fx.group.id);
    await watcher.sync();
    await watcher.until(
      () => watcher.doc.getArray('messages').length === 1,
      5_000,
      'owner to see the message',
    );
  });
});
