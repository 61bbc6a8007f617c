// My flags of my conversations (star: listed first in the sidebar; unread: shown as unread
// until I open it again). Mine alone, and they work offline: a change shows at once, is
// kept on the device as an operation to send, and goes out when the server can be reached
// (in order; the server's answer is the same for a repeat). The server's list replaces the
// device's whenever the event channel opens, with the operations still to send laid over
// it; my other devices follow through the channel's `flag` events.
// Must be created inside a Solid owner (it registers cleanups).
import { createEffect, createSignal, on, onCleanup } from 'solid-js';
import type { Accessor } from 'solid-js';
import type { ConversationFlag, Flag, GroupId, User, UserEvent } from '@canopy/shared';
import { api } from '../api/api-client.js';
import { isApiError, isNetworkError } from '../api/api-error.js';
import type { FlagOp, LocalCache } from '../sync/local-cache.js';
import { log } from '../log.js';

const logger = log.child('flags');

export interface ConversationFlags {
  /** Settles once the device's copy is read (has() knows the flags from before the start). */
  ready: Promise<void>;
  has(flag: ConversationFlag, id: GroupId): boolean;
  /** Set or clear; shown at once, sent now or when the server can be reached. */
  set(flag: ConversationFlag, id: GroupId, on: boolean): void;
}

export interface FlagsOptions {
  me: User;
  cache: LocalCache;
  eventsOpen: Accessor<boolean>;
  onUserEvent: (fn: (event: UserEvent) => void) => () => void;
  /** the real id of a conversation made offline, once the server has it */
  resolve: (id: GroupId) => GroupId;
  /** a conversation made offline that the server does not know yet */
  isPending: (id: GroupId) => boolean;
}

const keyOf = (flag: ConversationFlag, id: GroupId): string => `${flag}:${id}`;

export function createConversationFlags(options: FlagsOptions): ConversationFlags {
  const { me, cache, eventsOpen, onUserEvent } = options;
  /** what the server said last (changed by events), by keyOf */
  let confirmed = new Map<string, Flag>();
  /** my changes not yet acknowledged, oldest first, one per flag and conversation */
  let ops: FlagOp[] = [];
  const [shown, setShown] = createSignal<ReadonlySet<string>>(new Set());
  let fromServer = false;
  let sending = false;

  const publish = (save = true): void => {
    const next = new Set(confirmed.keys());
    for (const op of ops) {
      if (op.on) next.add(keyOf(op.flag, op.groupId));
      else next.delete(keyOf(op.flag, op.groupId));
    }
    setShown(next);
    if (save) void cache.saveFlags(me.id, { flags: [...confirmed.values()], ops });
  };
  const replace = (flags: readonly Flag[]): void => {
    confirmed = new Map(flags.map((f) => [keyOf(f.flag, f.groupId), f]));
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
          if (op.on) {
            const set = await api.setFlag(id, op.flag);
            confirmed.set(keyOf(set.flag, set.groupId), set);
          } else {
            await api.clearFlag(id, op.flag);
            confirmed.delete(keyOf(op.flag, id));
          }
        } catch (err) {
          if (isNetworkError(err)) return; // sent again when the channel reopens
          // Gone (left or removed meanwhile) or refused: the change cannot be made.
          if (!isApiError(err)) throw err;
          logger.warn('flag change refused', { status: err.status });
        }
        // A newer change of the same flag may have replaced this one meanwhile.
        ops = ops.filter((o) => o !== op);
        publish();
      }
    } finally {
      sending = false;
    }
  };

  const ready = cache.loadFlags(me.id).then((saved) => {
    if (fromServer) return;
    replace(saved.flags);
    ops = [...saved.ops, ...ops];
    publish(false);
  });
  const refresh = async (): Promise<void> => {
    try {
      await send();
      const list = await api.listFlags();
      fromServer = true;
      replace(list);
      publish();
    } catch (err) {
      if (!isNetworkError(err)) logger.warn('cannot load flags', { err: String(err) });
    }
  };
  createEffect(on(eventsOpen, (open) => open && void refresh()));
  const off = onUserEvent((event) => {
    if (event.type !== 'flag') return;
    const key = keyOf(event.flag, event.groupId);
    if (event.at === null) confirmed.delete(key);
    else confirmed.set(key, { groupId: event.groupId, flag: event.flag, at: event.at });
    publish();
  });
  onCleanup(off);

  return {
    ready,
    has: (flag, id) => shown().has(keyOf(flag, id)),
    set(flag, id, on) {
      ops = [...ops.filter((o) => o.flag !== flag || o.groupId !== id), { groupId: id, flag, on }];
      publish();
      void send().catch((err: unknown) => logger.warn('cannot send flag', { err: String(err) }));
    },
  };
}
