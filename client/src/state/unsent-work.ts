// Before a logout deletes this device's data: what on it has not reached the server yet.
// Messages I wrote into a group's document that the relay has not acknowledged as stored,
// my edits and deletions it has not acknowledged, queued attachments, groups or DMs made
// offline that the server does not know yet, and what a group's restore from the server's
// copy keeps until it is written again (see refusal-recovery.ts). Read markers and
// reactions are not counted: losing one of those costs nothing.
//
// Groups that are not open now are loaded from their local copy, one at a time and without
// connecting; groups with no copy on this device cannot hold anything unsent.
import type { GroupId, MessageId, UserId } from '@canopy/shared';
import { groupCopiesOf } from '../sync/device-data.js';
import { openGroupSync } from '../sync/group-sync.js';
import type { GroupSync } from '../sync/group-sync.js';
import { unsentChanges, unsentMessageIds } from '../sync/unsent-changes.js';
import type { KvStore } from '../sync/idb-kv.js';
import { readQueuedUploads } from '../sync/upload-queue.js';
import type { Workspace } from './workspace.js';

export interface UnsentGroup {
  id: GroupId;
  /** messages (files included) written here that the server has not stored */
  messages: number;
  /** edits and deletions of messages made here that the server has not stored */
  changes: number;
  /** made offline: the server does not know the group yet */
  unregistered: boolean;
}

interface Unsent {
  ids: MessageId[];
  changes: number;
}

const unsentOf = (sync: GroupSync, me: UserId): Unsent => ({
  ids: unsentMessageIds(sync, me),
  changes: unsentChanges(sync, me),
});

async function unsentIn(ws: Workspace, groupId: GroupId): Promise<Unsent> {
  const me = ws.me;
  const open = ws.pool.get(groupId);
  if (open) {
    await open.loaded;
    return unsentOf(open, me.id);
  }
  const sync = openGroupSync({
    groupId,
    user: { id: me.id, name: me.displayName || me.username },
    connect: false,
  });
  try {
    await sync.loaded;
    return unsentOf(sync, me.id);
  } finally {
    sync.destroy();
  }
}

/** The groups with something unsent, in the order of the workspace's group list. */
export async function findUnsentWork(ws: Workspace, uploads: KvStore): Promise<UnsentGroup[]> {
  const copies = new Set(await groupCopiesOf(ws.me.id));
  const queued = await readQueuedUploads(uploads, ws.me.id);
  const result: UnsentGroup[] = [];
  for (const group of ws.groups()) {
    const found = copies.has(group.id) ? await unsentIn(ws, group.id) : { ids: [], changes: 0 };
    const ids = new Set<MessageId>(found.ids);
    // Kept while the group is restored from the server's copy, not written again yet.
    const kept = await ws.pool.keptUnsent(group.id);
    for (const record of kept?.messages ?? []) ids.add(record.id);
    const changes = found.changes + (kept ? kept.edits.length + kept.deletions.length : 0);
    for (const entry of queued) {
      if ((ws.replaced(entry.groupId) ?? entry.groupId) === group.id) ids.add(entry.id);
    }
    const unregistered = ws.isPending(group.id);
    if (ids.size > 0 || changes > 0 || unregistered)
      result.push({ id: group.id, messages: ids.size, changes, unregistered });
  }
  return result;
}
