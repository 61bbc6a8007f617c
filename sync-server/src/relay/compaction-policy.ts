// When to fold a room's log into its snapshot. Compaction re-encodes the whole document
// and blocks the event loop for it (tens of ms for 10k+ messages), so it never runs inside
// a flush. By size: once the log's bytes reach the snapshot's (each stored byte is then
// re-encoded a bounded number of times), it waits for a quiet moment (no commit for a
// while), or runs at once past a hard bound. By rows: at `compactEvery` rows it runs on the
// next turn (bounds how many rows a load merges). It never loses an update:
// Room.snapshot() declines while anything is pending or in flight; the next commit re-arms.
import type { Room } from './room.js';

/** below this many log bytes the size rule does not ask for a compaction */
const MIN_LOG_BYTES = 256 * 1024;
/** a room counts as quiet after this long without a commit */
const QUIET_MS = 1_000;
/** past this multiple of the thresholds, compact even while the room is busy */
const HARD_FACTOR = 4;

export interface CompactionPolicy {
  /** After a commit: arm the room's compaction if its log asks for one. */
  consider(room: Room): void;
  stop(): void;
}

export function createCompactionPolicy(
  compactEvery: number,
  compact: (room: Room) => Promise<void>,
): CompactionPolicy {
  const timers = new Map<Room, NodeJS.Timeout>();

  /** How far the room's log is past its size threshold (≥ 1: compaction is due). */
  const sizePressure = (room: Room): number => {
    const snapshotBytes = room.storedBytes - room.logBytes;
    return room.logBytes / Math.max(MIN_LOG_BYTES, snapshotBytes);
  };
  const urgent = (room: Room): boolean =>
    room.logRows >= compactEvery || sizePressure(room) >= HARD_FACTOR;

  const run = (room: Room): void => {
    timers.delete(room);
    if (room.destroyed) return;
    const quiet = Date.now() - room.lastCommitAt >= QUIET_MS;
    if (!urgent(room)) {
      if (sizePressure(room) < 1) return;
      if (!quiet) return arm(room, QUIET_MS);
    }
    // Room.snapshot() declines while a write is pending; the next commit asks again.
    compact(room).catch(() => undefined);
  };

  const arm = (room: Room, ms: number): void => {
    const timer = setTimeout(() => run(room), ms);
    timer.unref();
    timers.set(room, timer);
  };

  return {
    consider(room) {
      if (timers.has(room)) return;
      if (urgent(room)) arm(room, 0);
      else if (sizePressure(room) >= 1) arm(room, QUIET_MS);
    },
    stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
