// Keeps profiles current on this device. My own: after a change, the session (and its cached
// copy) and the workspace's user list get the server's answer, so every name and avatar on
// screen follows. Other people's: a change made while I am connected arrives on the event
// channel; for those made while this device was away, the members of my groups (kept in
// the local cache) are fetched anew once per session, in the background (ws.fetchUsers).
import { createEffect, untrack } from 'solid-js';
import { publicUserSchema } from '@canopy/shared';
import type { User, UserId } from '@canopy/shared';
import { isNetworkError } from '../../api/api-error.js';
import type { Session } from '../../state/session.js';
import type { Workspace } from '../../state/workspace.js';
import { log } from '../../log.js';

const logger = log.child('profiles');

export function applyMyProfile(session: Session, ws: Workspace, user: User): void {
  session.setUser(user);
  // zod drops the private fields (email, role…): the user list holds public profiles only.
  ws.rememberUsers([publicUserSchema.parse(user)]);
}

/** Fetches every cached member of my groups once per session (see the header). */
export function createProfileRefresh(ws: Workspace): void {
  const done = new Set<UserId>([ws.me.id]);
  const waiting: UserId[] = [];
  let running = false;

  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      while (waiting.length > 0) {
        const ids = waiting.splice(0);
        try {
          await ws.fetchUsers(ids);
        } catch (err) {
          if (!isNetworkError(err)) {
            logger.warn('cannot refresh profiles', { err: String(err) });
            continue;
          }
          // Offline: forget the rest; the next change of the group list tries again.
          for (const id of [...ids, ...waiting.splice(0)]) done.delete(id);
          break;
        }
      }
    } finally {
      running = false;
    }
  };

  createEffect(() => {
    const members = ws.groups().flatMap((g) => g.members.map((m) => m.userId));
    untrack(() => {
      // Users never seen here are looked up by the workspace itself when shown.
      for (const id of members) {
        if (done.has(id) || !ws.user(id)) continue;
        done.add(id);
        waiting.push(id);
      }
    });
    if (waiting.length > 0) void run();
  });
}
