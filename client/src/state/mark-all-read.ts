// "Mark all as read": every conversation with unread messages, or marked unread, is read up
// to its newest message. Each document is opened from the device and, when the server can
// be reached, brought up to date first (a few seconds at most), then its read marker moves
// to the end: the marker that reading it would move, so read receipts follow. With no
// network it reads what the device has; the markers go out on reconnect.
import { markRead } from '../sync/markers.js';
import type { GroupSync } from '../sync/group-sync.js';
import type { Workspace } from './workspace.js';

const SYNC_WAIT_MS = 5000;

export async function markAllRead(ws: Workspace): Promise<void> {
  const ids = ws
    .groups()
    .map((g) => g.id)
    .filter((id) => ws.summary(id).unread > 0 || ws.flags.has('unread', id));
  for (const id of ids) if (ws.flags.has('unread', id)) ws.flags.set('unread', id, false);
  await Promise.all(
    ids
      .filter((id) => ws.summary(id).unread > 0)
      .map(async (id) => {
        const sync = ws.pool.acquire(id);
        try {
          await sync.loaded;
          if (navigator.onLine && !ws.isPending(id)) await synced(sync);
          const last = sync.mirror.length - 1;
          if (last >= 0) markRead(sync.doc, sync.mirror, ws.me.id, last);
        } finally {
          ws.pool.release(sync);
        }
      }),
  );
}

/** Resolves when the document is in step with the server, or after SYNC_WAIT_MS. */
function synced(sync: GroupSync): Promise<void> {
  if (sync.status() === 'synced') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, SYNC_WAIT_MS);
    const off = sync.onStatus((status) => {
      if (status === 'synced') done();
    });
  });
}
