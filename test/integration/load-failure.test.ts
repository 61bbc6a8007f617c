// Issue 2: "never serve an empty or partial document after a load failed". A group's
// stored log gets a corrupt row (fault injection straight into the SQLite file while the
// room is unloaded): joining must fail with ROOM_UNAVAILABLE and no document at all,
// the HTTP message API must say 503, other rooms keep working, and once the row is gone
// the next join loads everything again (a failed load is not cached).
import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { CloseCode, ErrorCode, errorBodySchema } from '@canopy/shared';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { groupWithMembers, messageIds } from '../utils/fixtures.js';
import type { GroupFixture } from '../utils/fixtures.js';
import { RawClient } from '../utils/raw-client.js';
import {
  connectProvider,
  nextProviderClose,
  waitFor,
  waitSynced,
  withTimeout,
} from '../utils/ws-provider.js';

let server: TestServer;
let broken: GroupFixture;
let healthy: GroupFixture;
let badRowId = 0;

beforeAll(async () => {
  server = await startTestServer({ relay: { idleUnloadMs: 100 } });
  broken = await groupWithMembers(server.url, 1, 'broken');
  healthy = await groupWithMembers(server.url, 1, 'healthy');
  for (let i = 0; i < 10; i++) await broken.owner.postMessage(broken.group.id, `kept ${i}`);
  await waitFor(() => server.relay.stats().openRooms === 0, { message: 'rooms to unload' });
  const db = new Database(server.dbFile);
  try {
    db.pragma('busy_timeout = 5000');
    const row = db
      .prepare('INSERT INTO doc_updates (group_id, data, created_at) VALUES (?, ?, ?)')
      .run(broken.group.id, Buffer.from([0xff, 0xff, 0xff, 0x07, 0x13]), Date.now());
    badRowId = Number(row.lastInsertRowid);
  } finally {
    db.close();
  }
});

describe('a room whose stored log cannot be loaded', () => {
  it('closes joiners with ROOM_UNAVAILABLE and serves no document', async () => {
    const raw = await RawClient.connect(broken.members[0]!, broken.group.id);
    await raw.sendSyncStep1();
    const closed = await raw.waitClosed(5_000);
    expect(closed.code).toBe(CloseCode.ROOM_UNAVAILABLE);
    expect(raw.syncStep2Count).toBe(0);
    expect(raw.doc.getArray('messages').length).toBe(0);

    const provider = connectProvider(broken.owner, broken.group.id);
    const providerClosed = await withTimeout(
      nextProviderClose(provider),
      5_000,
      'provider to be closed',
    );
    expect(providerClosed.code).toBe(CloseCode.ROOM_UNAVAILABLE);
    expect(provider.synced).toBe(false);
    expect(messageIds(provider.doc)).toEqual([]);
    provider.disconnect();
  });

  it('answers the message API with 503 unavailable', async () => {
    const r = await broken.owner.get(`/api/groups/${broken.group.id}/messages`);
    expect({ status: r.status, code: errorBodySchema.safeParse(r.body).data?.error.code }).toEqual({
      status: 503,
      code: ErrorCode.UNAVAILABLE,
    });
  });

  it('keeps other rooms working', async () => {
    const p = connectProvider(healthy.owner, healthy.group.id);
    await waitSynced(p);
    const posted = await healthy.members[0]!.postMessage(healthy.group.id, 'fine here');
    await waitFor(() => messageIds(p.doc).includes(posted.id), {
      message: 'the healthy room to sync',
    });
  });

  it('loads again, complete, once the bad row is gone', async () => {
    const db = new Database(server.dbFile);
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare('DELETE FROM doc_updates WHERE id = ?').run(badRowId);
    } finally {
      db.close();
    }
    const raw = await RawClient.connect(broken.members[0]!, broken.group.id);
    await raw.sync();
    const texts = raw.doc
      .getArray<{ text?: string }>('messages')
      .toArray()
      .map((m) => m.text);
    expect(texts).toEqual(Array.from({ length: 10 }, (_, i) => `kept ${i}`));
  });
});
