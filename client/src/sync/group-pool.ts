// The open groups: one GroupSync per group in use, plus a few recently used ones kept warm
// so switching back is instant. Each open group reports its sidebar summary (last message,
// unread count from my read marker) whenever its messages, markers or edits change. A group
// whose copy the relay refused is replaced by a fresh one, with my unsent changes kept in the
// key-value store until they are written into it (replace; see state/refusal-recovery.ts).
import { groupDoc, messageRecordSchema } from '@canopy/shared';
import type { GroupId, MessageRecord, UserId } from '@canopy/shared';
import { clearDocument } from 'y-indexeddb';
import { z } from 'zod';
import { groupDbName } from './group-db-name.js';
import { openGroupSync } from './group-sync.js';
import type { GroupSync, SyncStatus } from './group-sync.js';
import type { GroupSummary } from './local-cache.js';
import type { KvStore } from './idb-kv.js';
import { markDelivered } from './markers.js';
import { TAIL_SIZE, saveCopyState, summarizeGroup, tailKey as tailKeyOf } from './group-summary.js';
import { nextFrame } from './next-frame.js';
import { onPeersChange, peers } from './presence.js';
import { throttle } from './throttle.js';
import { replayUnsent, unsentCopySchema } from './unsent-changes.js';
import type { UnsentCopy } from './unsent-changes.js';
import { log } from '../log.js';

const logger = log.child('pool');

export interface GroupPoolOptions {
  /** `username`: what mentions of me name */
  user: { id: UserId; name: string; username: string };
  /** Where the newest messages of each group are kept for an instant first paint. */
  kv: KvStore;
  keepWarm?: number;
  isRegistered(groupId: GroupId): boolean;
  onSummary(groupId: GroupId, summary: GroupSummary): void;
  /** A group's copy was opened here: from now on it follows the relay in this page. */
  onOpen?(groupId: GroupId): void;
  onStatus(groupId: GroupId, status: SyncStatus, sync: GroupSync): void;
  /** Users present in this group's awareness (empty when it closes). */
  onPeers(groupId: GroupId, users: ReadonlySet<UserId>): void;
  /** A kept copy of unsent changes was written into the group; `dropped` were not. */
  onReplayed(groupId: GroupId, dropped: number): void;
}

const TAIL_SAVE_MS = 1000;
/** a group's summary waits for the next frame, or this long in a hidden tab */
const SUMMARY_MS = 50;
/** Delivered markers are informational; one write per group per few seconds is plenty. */
const DELIVERED_MS = 5000;
const tailSchema = z.array(messageRecordSchema).max(TAIL_SIZE);

interface Entry {
  sync: GroupSync;
  /** the cached newest messages, read before the document so they paint first */
  tail: Promise<MessageRecord[]>;
  refs: number;
  lastUsed: number;
  dispose: () => void;
}

export interface GroupPool {
  acquire(groupId: GroupId): GroupSync;
  /** Gives back what acquire returned (a group replaced meanwhile is not affected). */
  release(sync: GroupSync): void;
  get(groupId: GroupId): GroupSync | undefined;
  /** The newest messages as last seen, to paint before the document has loaded. */
  loadTail(groupId: GroupId): Promise<MessageRecord[]>;
  isOpen(groupId: GroupId): boolean;
  /** The server now knows this group: start syncing it if open. */
  registered(groupId: GroupId): void;
  close(groupId: GroupId): void;
  /**
   * Replaces this device's copy of a group with the server's: keeps `unsent` (in the
   * key-value store, so a reload does not lose it), closes the group, deletes its local
   * copy and opens it again. Once the fresh copy has synced, what was kept is written
   * into it. Resolves when the group is open again.
   */
  replace(groupId: GroupId, unsent: UnsentCopy): Promise<void>;
  /** Unsent changes kept by replace() that are not written again yet. */
  keptUnsent(groupId: GroupId): Promise<UnsentCopy | null>;
  /** Opens the groups whose kept changes did not go out before the last reload. */
  resumeKept(): Promise<void>;
  destroy(): void;
}

export function makeGroupPool(options: GroupPoolOptions): GroupPool {
  const keepWarm = options.keepWarm ?? 4;
  const open = new Map<GroupId, Entry>();
  const me = options.user.id;

  const tailKey = (groupId: GroupId): string => tailKeyOf(me, groupId);
  const keptKey = (groupId: GroupId): string => `unsent:${me}:${groupId}`;
  /** groups whose local copy is being deleted: their next copy loads after that */
  const clearing = new Map<GroupId, Promise<void>>();

  // Which groups have kept changes: the store's keys are read once, when the pool starts;
  // replace() and the replay keep the set current, so opening a group reads nothing more.
  const keptPrefix = keptKey('' as GroupId);
  const keptGroups: Promise<Set<GroupId>> = options.kv.keys().then(
    (keys) =>
      new Set(
        keys
          .filter((k) => k.startsWith(keptPrefix))
          .map((k) => k.slice(keptPrefix.length) as GroupId),
      ),
    () => new Set(),
  );

  const keptUnsent = async (groupId: GroupId): Promise<UnsentCopy | null> => {
    if (!(await keptGroups).has(groupId)) return null;
    const parsed = unsentCopySchema.safeParse(
      await options.kv.get(keptKey(groupId)).catch(() => null),
    );
    return parsed.success ? parsed.data : null;
  };

  const readTail = async (groupId: GroupId): Promise<MessageRecord[]> => {
    const parsed = tailSchema.safeParse(await options.kv.get(tailKey(groupId)).catch(() => null));
    return parsed.success ? parsed.data : [];
  };

  const wire = (groupId: GroupId, sync: GroupSync): (() => void) => {
    let tailTimer: ReturnType<typeof setTimeout> | undefined;
    const saveTail = (): void => {
      if (tailTimer !== undefined) return;
      tailTimer = setTimeout(() => {
        tailTimer = undefined;
        saveCopyState(options.kv, me, groupId, sync.doc, sync.mirror);
      }, TAIL_SAVE_MS);
    };
    let cancelReport: (() => void) | null = null;
    const report = (): void => {
      // Coalesce bursts (a sync step 2 with many messages) into one summary, rendered in
      // the same frame as the conversation's new rows.
      cancelReport ??= nextFrame(() => {
        cancelReport = null;
        if (open.get(groupId)?.sync !== sync) return;
        if (sync.status() === 'synced') deliver();
        options.onSummary(groupId, summarizeGroup(sync.doc, sync.mirror, options.user));
        saveTail();
      }, SUMMARY_MS);
    };
    const deliver = throttle(() => {
      if (open.get(groupId)?.sync === sync) markDelivered(sync.doc, sync.mirror, me);
    }, DELIVERED_MS);
    const offMirror = sync.mirror.subscribe(report);
    const uploads = groupDoc(sync.doc).uploads;
    const onUploads = (): void => saveTail();
    uploads.observe(onUploads);
    const { readMarkers, edits } = groupDoc(sync.doc);
    const onMarkers = (): void => report();
    readMarkers.observe(onMarkers);
    // An edit can change the preview (an assistant's answer grows by edits) and the tail.
    edits.observe(onMarkers);
    // Written after the first sync, so the copy holds the server's history to append after.
    const kept = keptUnsent(groupId);
    let replayed = false;
    const replay = async (): Promise<void> => {
      const copy = await kept;
      if (replayed || !copy || open.get(groupId)?.sync !== sync) return;
      replayed = true;
      const dropped = replayUnsent(sync.doc, sync.mirror, copy, me);
      (await keptGroups).delete(groupId);
      await options.kv.delete(keptKey(groupId)).catch((err: unknown) => {
        logger.warn('cannot delete kept unsent changes', { groupId, err: String(err) });
      });
      options.onReplayed(groupId, dropped);
    };
    const offStatus = sync.onStatus((s) => {
      options.onStatus(groupId, s, sync);
      if (s === 'synced') {
        report();
        void replay();
      }
    });
    void sync.loaded.then(report);
    const onAwareness = (): void => options.onPeers(groupId, new Set(peers(sync.awareness).keys()));
    const offPeers = onPeersChange(sync.awareness, onAwareness);
    return () => {
      clearTimeout(tailTimer);
      cancelReport?.();
      deliver.cancel();
      offPeers();
      options.onPeers(groupId, new Set());
      offMirror();
      uploads.unobserve(onUploads);
      readMarkers.unobserve(onMarkers);
      edits.unobserve(onMarkers);
      offStatus();
    };
  };

  const evict = (): void => {
    const idle = [...open.entries()].filter(([, e]) => e.refs === 0);
    idle.sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    while (idle.length > keepWarm) {
      const [id] = idle.shift() as [GroupId, Entry];
      pool.close(id);
    }
  };

  const pool: GroupPool = {
    acquire(groupId) {
      let entry = open.get(groupId);
      if (!entry) {
        const tail = readTail(groupId);
        const cleared = clearing.get(groupId);
        const sync = openGroupSync({
          groupId,
          user: options.user,
          connect: options.isRegistered(groupId),
          beforeLocalLoad: cleared ? Promise.all([tail, cleared]) : tail,
        });
        entry = { sync, tail, refs: 0, lastUsed: Date.now(), dispose: () => undefined };
        entry.dispose = wire(groupId, sync);
        open.set(groupId, entry);
        options.onOpen?.(groupId);
      }
      entry.refs++;
      entry.lastUsed = Date.now();
      return entry.sync;
    },
    release(sync) {
      const entry = open.get(sync.groupId);
      if (entry?.sync !== sync) return;
      entry.refs = Math.max(0, entry.refs - 1);
      entry.lastUsed = Date.now();
      evict();
    },
    get: (groupId) => open.get(groupId)?.sync,
    loadTail: (groupId) => open.get(groupId)?.tail ?? readTail(groupId),
    isOpen: (groupId) => open.has(groupId),
    registered(groupId) {
      open.get(groupId)?.sync.connect();
    },
    close(groupId) {
      const entry = open.get(groupId);
      if (!entry) return;
      open.delete(groupId);
      entry.dispose();
      entry.sync.destroy();
    },
    async replace(groupId, unsent) {
      await options.kv.set(keptKey(groupId), unsent);
      (await keptGroups).add(groupId);
      pool.close(groupId);
      // The closed copy's database connection closes soon; the deletion waits for it.
      const cleared = clearDocument(groupDbName(me, groupId)).then(
        () => clearing.delete(groupId),
        (err: unknown) => {
          clearing.delete(groupId);
          logger.error('cannot delete a group copy', { groupId, err: String(err) });
        },
      );
      clearing.set(
        groupId,
        cleared.then(() => undefined),
      );
      // Opened now (and kept warm) so that it connects and the kept changes go out.
      pool.release(pool.acquire(groupId));
      await cleared;
    },
    keptUnsent,
    async resumeKept() {
      for (const groupId of await keptGroups) {
        if (options.isRegistered(groupId) && !open.has(groupId))
          pool.release(pool.acquire(groupId));
      }
    },
    destroy() {
      for (const id of [...open.keys()]) pool.close(id);
    },
  };
  return pool;
}
