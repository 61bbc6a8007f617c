// DocStore on better-sqlite3 (tables doc_updates, doc_snapshots, client_bindings).
// Statements are prepared once; a whole flush is one transaction. better-sqlite3 is
// synchronous, so every promise here is already settled when returned.
//
// WAL checkpoints: SQLite's automatic checkpoint runs inside the commit that takes the WAL
// past 1,000 pages, i.e. inside a flush, before its broadcast, stalling every message of
// the batch for the copy and the fsync (4-5 ms on the reference machine, several times a
// minute under load). This store raises that threshold to a safety net and checkpoints in
// maintain(), which the relay calls after the broadcast, when about as many pages as SQLite's
// default have been written. A checkpoint then overlaps the pause before the next flush.
import type { Database } from 'better-sqlite3';
import type { GroupId, UserId } from '@canopy/shared';
import type { DocStore, RoomWrite, StoredDoc } from './doc-store.js';

// better-sqlite3 binds Buffers as BLOBs; wrap without copying.
const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

interface SnapshotRow {
  data: Buffer;
  last_update_id: number;
}
interface UpdateRow {
  id: number;
  data: Buffer;
}
interface BindingRow {
  client_id: number;
  user_id: string;
}

/** pages written (estimated) after which maintain() checkpoints: SQLite's default cadence */
const CHECKPOINT_PAGES = 1000;
/** the automatic checkpoint stays, as a safety net for writes the relay never maintains */
const SAFETY_AUTOCHECKPOINT_PAGES = 10_000;
/** pages a small transaction dirties besides its payload (table and index leaves, commit) */
const PAGES_PER_TRANSACTION = 3;
const PAGE_BYTES = 4096;

export function createSqliteDocStore(sqlite: Database): DocStore {
  sqlite.pragma(`wal_autocheckpoint = ${SAFETY_AUTOCHECKPOINT_PAGES}`);
  let pagesSinceCheckpoint = 0;
  const wrote = (bytes: number): void => {
    pagesSinceCheckpoint += PAGES_PER_TRANSACTION + Math.ceil(bytes / PAGE_BYTES);
  };
  const groupExists = sqlite.prepare<[string], number>('SELECT 1 FROM groups WHERE id = ?').pluck();
  const selectSnapshot = sqlite.prepare<[string], SnapshotRow>(
    'SELECT data, last_update_id FROM doc_snapshots WHERE group_id = ?',
  );
  const selectUpdates = sqlite.prepare<[string, number], UpdateRow>(
    'SELECT id, data FROM doc_updates WHERE group_id = ? AND id > ? ORDER BY id',
  );
  const selectBindings = sqlite.prepare<[string], BindingRow>(
    'SELECT client_id, user_id FROM client_bindings WHERE group_id = ?',
  );
  const insertUpdate = sqlite.prepare<[string, Buffer, number]>(
    'INSERT INTO doc_updates (group_id, data, created_at) VALUES (?, ?, ?)',
  );
  const insertBinding = sqlite.prepare<[string, number, string, number]>(
    'INSERT OR IGNORE INTO client_bindings (group_id, client_id, user_id, created_at) VALUES (?, ?, ?, ?)',
  );
  const upsertSnapshot = sqlite.prepare<[string, Buffer, number, number]>(
    `INSERT INTO doc_snapshots (group_id, data, last_update_id, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (group_id) DO UPDATE SET data = excluded.data,
       last_update_id = excluded.last_update_id, updated_at = excluded.updated_at`,
  );
  const deleteUpdates = sqlite.prepare<[string, number]>(
    'DELETE FROM doc_updates WHERE group_id = ? AND id <= ?',
  );

  const load = sqlite.transaction((groupId: string): StoredDoc => {
    const snap = selectSnapshot.get(groupId);
    const rows = selectUpdates.all(groupId, snap?.last_update_id ?? 0);
    let storedBytes = snap?.data.byteLength ?? 0;
    const updates: Uint8Array[] = [];
    for (const row of rows) {
      updates.push(row.data);
      storedBytes += row.data.byteLength;
    }
    const bindings = new Map<number, UserId>();
    for (const b of selectBindings.all(groupId)) bindings.set(b.client_id, b.user_id as UserId);
    return {
      snapshot: snap?.data ?? null,
      updates,
      lastUpdateId: rows.at(-1)?.id ?? snap?.last_update_id ?? 0,
      storedBytes,
      bindings,
    };
  });

  const append = sqlite.transaction(
    (writes: readonly RoomWrite[], at: number, within: (() => void) | undefined) => {
      const lastIds = new Map<GroupId, number>();
      for (const w of writes) {
        for (const u of w.updates) {
          const { lastInsertRowid } = insertUpdate.run(w.groupId, asBuffer(u), at);
          lastIds.set(w.groupId, Number(lastInsertRowid));
        }
        for (const b of w.bindings) insertBinding.run(w.groupId, b.clientId, b.userId, at);
      }
      within?.();
      return lastIds;
    },
  );

  const compact = sqlite.transaction(
    (groupId: string, snapshot: Uint8Array, upToId: number, at: number) => {
      upsertSnapshot.run(groupId, asBuffer(snapshot), upToId, at);
      deleteUpdates.run(groupId, upToId);
    },
  );

  return {
    groupExists: (groupId) => settle(() => groupExists.get(groupId) !== undefined),
    load: (groupId) => settle(() => load(groupId)),
    appendBatch: (writes, at, within) =>
      settle(() => {
        const lastIds = append(writes, at, within);
        let bytes = 0;
        for (const w of writes) for (const u of w.updates) bytes += u.byteLength;
        wrote(bytes);
        return lastIds;
      }),
    compact: (groupId, snapshot, upToId, at) =>
      settle(() => {
        compact(groupId, snapshot, upToId, at);
        wrote(snapshot.byteLength);
      }),
    maintain() {
      if (pagesSinceCheckpoint < CHECKPOINT_PAGES) return;
      pagesSinceCheckpoint = 0;
      sqlite.pragma('wal_checkpoint(PASSIVE)');
    },
  };
}

// Run synchronously, but report a throw as a rejected promise like an async store would.
function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}
