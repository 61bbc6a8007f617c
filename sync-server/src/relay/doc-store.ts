// Persistence seam of the relay: the update log, snapshots and client-id bindings of
// group documents. The relay only ever talks to this interface, so a Postgres store
// (several relay processes) is a second implementation, not a rewrite.
// Methods return promises so an implementation may be asynchronous; the SQLite one is not.
import type { GroupId, UserId } from '@canopy/shared';

export interface StoredDoc {
  /** Y.encodeStateAsUpdate of the compacted document, or null before the first compaction */
  snapshot: Uint8Array | null;
  /** log entries after the snapshot, in commit order */
  updates: Uint8Array[];
  /** id of the newest stored log entry (0 when none) */
  lastUpdateId: number;
  /** snapshot bytes + log bytes: what the document costs on disk */
  storedBytes: number;
  /** Yjs client id → user, every binding of the group */
  bindings: Map<number, UserId>;
}

export interface ClientBindingRow {
  clientId: number;
  userId: UserId;
}

/** Everything one room stores in one flush. */
export interface RoomWrite {
  groupId: GroupId;
  updates: Uint8Array[];
  bindings: ClientBindingRow[];
}

export interface DocStore {
  /** Whether the group exists at all (a document is only ever created for real groups). */
  groupExists(groupId: GroupId): Promise<boolean>;
  load(groupId: GroupId): Promise<StoredDoc>;
  /**
   * Store every room's updates and new bindings atomically (one transaction).
   * Resolves to the id of the newest log entry per group written. `within` runs inside that
   * transaction, after the writes (bookkeeping that must commit with them or not at all; a
   * throw from it fails the whole commit).
   */
  appendBatch(
    writes: readonly RoomWrite[],
    at: number,
    within?: () => void,
  ): Promise<Map<GroupId, number>>;
  /** Replace the log entries up to `upToId` with `snapshot`, atomically. */
  compact(groupId: GroupId, snapshot: Uint8Array, upToId: number, at: number): Promise<void>;
  /**
   * Housekeeping the relay runs between flushes, right after a broadcast, never inside a
   * commit (the SQLite store checkpoints its WAL here). Cheap when there is nothing to do.
   */
  maintain?(): void;
}
