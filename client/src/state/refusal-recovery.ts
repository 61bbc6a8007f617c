// When the relay refuses a change from this device (close code 4422), the device's copy of
// the group holds something the server will never take, and every reconnect would send it
// again and be closed again: the group would stay stuck on this device. An honest client
// meets this only when its rights changed while it was offline (a moderator demoted before
// their deletion of someone else's message went out).
//
// So the copy is restored from the server's: what I wrote that a member may always write
// (messages, edits of them, reactions, deletions of my own) is kept, the local copy is
// deleted, the group syncs again from the server and the kept changes go out anew. The rest
// is undone, and the conversation says so. A group refused again right after its restore
// stays closed with the refusal shown, so a change that keeps being refused cannot loop.
import { createStore } from 'solid-js/store';
import type { GroupId, UserId } from '@canopy/shared';
import type { GroupPool } from '../sync/group-pool.js';
import type { GroupSync } from '../sync/group-sync.js';
import { takeUnsent } from '../sync/unsent-changes.js';
import { log } from '../log.js';

const logger = log.child('recovery');

/** A second refusal within this long of a restore leaves the group closed. */
const REPEAT_WINDOW_MS = 60_000;

export interface RestoreNotice {
  /** still fetching the server's copy */
  restoring: boolean;
  /** unsent changes of mine that were undone (known once the kept ones went out) */
  undone: number | null;
}

export interface RefusalRecovery {
  /** Restores the group; false if it was restored moments ago (then it stays closed). */
  recover(groupId: GroupId, sync: GroupSync): boolean;
  /** The kept changes were written into the fresh copy. */
  replayed(groupId: GroupId, dropped: number): void;
  notice(groupId: GroupId): RestoreNotice | null;
  dismiss(groupId: GroupId): void;
}

export function createRefusalRecovery(pool: () => GroupPool, me: UserId): RefusalRecovery {
  const [notices, setNotices] = createStore<Record<string, RestoreNotice | undefined>>({});
  const lastRestore = new Map<GroupId, number>();

  return {
    recover(groupId, sync) {
      const last = lastRestore.get(groupId);
      if (last !== undefined && Date.now() - last < REPEAT_WINDOW_MS) return false;
      lastRestore.set(groupId, Date.now());
      // Shown first: the conversation lets go of the old copy before it is closed.
      setNotices(groupId, { restoring: true, undone: null });
      const unsent = takeUnsent(sync, me);
      logger.warn('the relay refused a change; restoring the group from the server', {
        groupId,
        messages: unsent.messages.length,
      });
      pool()
        .replace(groupId, unsent)
        .catch((err: unknown) =>
          logger.error('cannot restore group', { groupId, err: String(err) }),
        )
        .finally(() => setNotices(groupId, 'restoring', false));
      return true;
    },
    replayed(groupId, dropped) {
      if (notices[groupId]) setNotices(groupId, 'undone', dropped);
    },
    notice: (groupId) => notices[groupId] ?? null,
    dismiss: (groupId) => setNotices(groupId, undefined),
  };
}
