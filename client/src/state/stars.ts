// The conversations I starred, listed first in the sidebar. A star is mine alone and works
// offline: a change shows at once, is kept on the device as an operation to send, and goes
// out when the server can be reached (in order; the server's answer is the same for a
// repeat). The server's list replaces the device's whenever the event channel opens, with
// the operations still to send laid over it; my other devices follow through the
// channel's `star` events.
// Must be created inside a Solid owner (it registers cleanups).
import { createEffect, createSignal, on, onCleanup } from 'solid-js';
import type { Accessor } from 'solid-js';
import type { GroupId, Star, User, UserEvent } from '@canopy/shared';
import { api } from '../api/api-client.js';
import { isApiError, isNetworkError } from '../api/api-error.js';
import type { LocalCache, StarOp } from '../sync/local-cache.js';
import { log } from '../log.js';

const logger = log.child('stars');

export interface Stars {
  isStarred(id: GroupId): boolean;
  /** Star or unstar; shown at once, sent now or when the server can be reached. */
  set(id: GroupId, starred: boolean): void;
}

export interface StarsOptions {
  me: User;
  cache: LocalCache;
  eventsOpen: Accessor<boolean>;
  onUserEvent: (fn: (event: UserEvent) => void) => () => void;
  /** the real id of a conversation made offline, once the server has it */
  resolve: (id: GroupId) => GroupId;
  /** a conversation made offline that the server does not know yet */
  isPending: (id: GroupId) => boolean;
}

export function createStars(options: StarsOptions): Stars {
  const { me, cache, eventsOpen, onUserEvent } = options;
  /** what the server said last (changed by events) */
  let confirmed = new Map<GroupId, number>();
  /** my changes not yet acknowledged, oldest first, one per conversation */
  let ops: StarOp[] = [];
  const [starred, setStarred] = createSignal<ReadonlySet<GroupId>>(new Set());
  let fromServer = false;
  let sending = false;

  const publish = (save = true): void => {
    const next = new Set(confirmed.keys());
    for (const op of ops) {
      if (op.starred) next.add(op.groupId);
      else next.delete(op.groupId);
    }
    setStarred(next);
    if (save) {
      const stars: Star[] = [...confirmed].map(([groupId, at]) => ({ groupId, at }));
      void cache.saveStars(me.id, { stars, ops });
    }
  };

  const send = async (): Promise<void> => {
    if (sending) return;
    sending = true;
    try {
      for (;;) {
        const op = ops.find((o) => !options.isPending(options.resolve(o.groupId)));
        if (!op) return;
        const id = options.resolve(op.groupId);
        try {
          if (op.starred) confirmed.set(id, (await api.star(id)).at);
          else {
            await api.unstar(id);
            confirmed.delete(id);
          }
        } catch (err) {
          if (isNetworkError(err)) return; // sent again when the channel reopens
          // Gone (left or removed meanwhile) or refused: the change cannot be made.
          if (!isApiError(err)) throw err;
          logger.warn('star change refused', { status: err.status });
        }
        // A newer change for the same conversation may have replaced this one meanwhile.
        ops = ops.filter((o) => o !== op);
        publish();
      }
    } finally {
      sending = false;
    }
  };

  void cache.loadStars(me.id).then((saved) => {
    if (fromServer) return;
    confirmed = new Map(saved.stars.map((s) => [s.groupId, s.at]));
    ops = [...saved.ops, ...ops];
    publish(false);
  });
  const refresh = async (): Promise<void> => {
    try {
      await send();
      const list = await api.listStars();
      fromServer = true;
      confirmed = new Map(list.map((s) => [s.groupId, s.at]));
      publish();
    } catch (err) {
      if (!isNetworkError(err)) logger.warn('cannot load stars', { err: String(err) });
    }
  };
  createEffect(on(eventsOpen, (open) => open && void refresh()));
  const off = onUserEvent((event) => {
    if (event.type !== 'star') return;
    if (event.star) confirmed.set(event.groupId, event.star.at);
    else confirmed.delete(event.groupId);
    publish();
  });
  onCleanup(off);

  return {
    isStarred: (id) => starred().has(id),
    set(id, value) {
      ops = [...ops.filter((o) => o.groupId !== id), { groupId: id, starred: value }];
      publish();
      void send().catch((err: unknown) => logger.warn('cannot send star', { err: String(err) }));
    },
  };
}
