// The persistence pipeline: rooms mark themselves dirty when they received or wrote
// something; on the next turn (or after flushIntervalMs) ONE store transaction takes every
// dirty room's pending writes (a room applies its queued updates as it hands them over),
// plus the bookkeeping that must commit with them (withinCommit: released files of deleted
// messages), and only after it committed does each room forward them and its ACKs. A failed
// commit drops the affected rooms: their docs hold unstored items, and their clients
// reconnect, reload from disk and upload again what the server lacks.
import { CloseCode } from '@canopy/shared';
import type { GroupId } from '@canopy/shared';
import type { Logger } from '../log.js';
import type { DocStore } from './doc-store.js';
import type { Room, RoomBatch } from './room.js';
import { createFlushScheduler } from './flush-scheduler.js';
import { createCompactionPolicy } from './compaction-policy.js';
import { RoomUnavailableError } from './relay-errors.js';

export interface FlushPipelineOptions {
  store: DocStore;
  log: Logger;
  compactEvery: number;
  flushIntervalMs: number | undefined;
  /** under load, flushes (and so broadcasts) start at least this many ms apart */
  flushGapMs: number;
  /** the room's commit failed: forget it (it is destroyed right after) */
  forget(room: Room): void;
  /** after the commit and the broadcast of a batch */
  committed(batch: RoomBatch, at: number): void;
  /**
   * Inside the commit's transaction, after the updates were written: bookkeeping that must
   * be stored with them (a throw fails the commit, so it should not throw).
   */
  withinCommit?(batches: readonly RoomBatch[]): void;
}

export interface FlushPipeline {
  markDirty(room: Room): void;
  /** Resolves once everything marked so far is committed. */
  drain(): Promise<void>;
  /** Fold a room's log into its snapshot now (no-op when there is nothing to fold). */
  compact(room: Room): Promise<void>;
  stop(): void;
}

export function createFlushPipeline(options: FlushPipelineOptions): FlushPipeline {
  const { store, log } = options;
  const dirty = new Set<Room>();
  const compactions = createCompactionPolicy(options.compactEvery, (room) => compact(room));
  const scheduler = createFlushScheduler(
    flushOnce,
    () => dirty.size > 0,
    options.flushIntervalMs,
    (err) => log.error({ err }, 'flush failed'),
    options.flushGapMs,
  );

  /** true while the flush takes the rooms' batches (their queued updates apply then) */
  let taking = false;

  async function flushOnce(): Promise<void> {
    const batches: RoomBatch[] = [];
    taking = true;
    try {
      for (const room of dirty) {
        const batch = room.takeBatch();
        if (batch) batches.push(batch);
      }
    } finally {
      taking = false;
    }
    dirty.clear();
    if (batches.length === 0) return;
    let lastIds: Map<GroupId, number>;
    try {
      lastIds = await store.appendBatch(
        batches.map((b) => b.write),
        Date.now(),
        () => options.withinCommit?.(batches),
      );
    } catch (err) {
      log.error({ err, rooms: batches.length }, 'commit failed; closing the affected rooms');
      const error = new RoomUnavailableError('could not store the update', { cause: err });
      for (const batch of batches) {
        options.forget(batch.room);
        batch.room.settled(batch);
        batch.room.destroy(CloseCode.ROOM_UNAVAILABLE, 'storage failed', error);
        batch.done.reject(error);
      }
      return;
    }
    const at = Date.now();
    for (const batch of batches) {
      if (batch.room.destroyed) {
        batch.done.resolve(); // stored; its peers are gone
        continue;
      }
      try {
        batch.room.committed(batch, lastIds.get(batch.write.groupId));
      } catch (err) {
        log.error({ err, groupId: batch.write.groupId }, 'post-commit fan-out failed');
        batch.room.settled(batch);
        batch.done.resolve();
      }
      options.committed(batch, at);
    }
    for (const batch of batches) if (!batch.room.destroyed) compactions.consider(batch.room);
    maintainSoon();
  }

  // After the broadcast (the next turn, so the socket writes go out first), before the
  // next flush, which is at least flushGapMs away under load.
  let maintaining: NodeJS.Immediate | null = null;
  function maintainSoon(): void {
    if (maintaining || !store.maintain) return;
    maintaining = setImmediate(() => {
      maintaining = null;
      try {
        store.maintain?.();
      } catch (err) {
        log.warn({ err }, 'store maintenance failed');
      }
    });
  }

  async function compact(room: Room): Promise<void> {
    const snapshot = room.snapshot();
    if (!snapshot) return;
    try {
      await store.compact(room.groupId, snapshot.data, snapshot.upToId, Date.now());
      room.compacted(snapshot);
      maintainSoon();
    } catch (err) {
      // The log stays authoritative; compaction is retried after the next commits.
      log.error({ err, groupId: room.groupId }, 'compaction failed');
    }
  }

  return {
    markDirty(room) {
      dirty.add(room);
      // Inside takeBatch a room applies its queued updates: that flush is already running
      // (and iterates rooms added to the set meanwhile).
      if (!taking) scheduler.schedule();
    },
    drain: () => scheduler.drain(),
    compact,
    stop: () => {
      scheduler.stop();
      compactions.stop();
      if (maintaining) clearImmediate(maintaining);
      maintaining = null;
    },
  };
}
