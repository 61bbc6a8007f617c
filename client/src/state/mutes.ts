// The conversations I muted: read from the device first (a start with no network knows
// them), replaced by the server's list whenever the event channel opens, changed here
// through the API and by my other devices through the channel's `mute` events. A timed
// mute ends by itself: a timer wakes the readers at the next end.
// Must be created inside a Solid owner (it registers cleanups).
/* eslint-disable solid/reactivity -- a state factory: its callbacks run on network and
   timer events, where reading signals untracked is intended. */
import { createEffect, createSignal, on, onCleanup } from 'solid-js';
import type { Accessor } from 'solid-js';
import { isMutedAt } from '@canopy/shared';
import type { GroupId, Mute, User, UserEvent } from '@canopy/shared';
import { api } from '../api/api-client.js';
import { isNetworkError } from '../api/api-error.js';
import type { LocalCache } from '../sync/local-cache.js';
import { log } from '../log.js';

const logger = log.child('mutes');

/** setTimeout's longest delay; a later end re-arms on waking */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Mutes {
  /** Whether the conversation is muted now (reactive, also to a mute running out). */
  isMuted(id: GroupId): boolean;
  /** The end of a running mute: ms, or null for "until I unmute"; undefined when not muted. */
  until(id: GroupId): number | null | undefined;
  /** Mute until `until` (ms) or, with null, until unmuted. Rejects as the request did. */
  mute(id: GroupId, until: number | null): Promise<void>;
  unmute(id: GroupId): Promise<void>;
}

export interface MutesOptions {
  me: User;
  cache: LocalCache;
  eventsOpen: Accessor<boolean>;
  onUserEvent: (fn: (event: UserEvent) => void) => () => void;
}

export function createMutes({ me, cache, eventsOpen, onUserEvent }: MutesOptions): Mutes {
  const [mutes, setMutes] = createSignal<ReadonlyMap<GroupId, Mute>>(new Map());
  const [now, setNow] = createSignal(Date.now());
  /** set once this session heard from the server, so a late cache read cannot undo it */
  let fromServer = false;

  const replace = (list: readonly Mute[]): void => {
    setNow(Date.now());
    setMutes(new Map(list.map((m) => [m.groupId, m])));
    void cache.saveMutes(me.id, list.slice());
  };
  const apply = (groupId: GroupId, mute: Pick<Mute, 'until'> | null): void => {
    const next = new Map(mutes());
    if (mute) next.set(groupId, { groupId, until: mute.until });
    else next.delete(groupId);
    replace([...next.values()]);
  };

  void cache.loadMutes(me.id).then((list) => {
    if (!fromServer) setMutes(new Map(list.map((m) => [m.groupId, m])));
  });
  const refresh = async (): Promise<void> => {
    try {
      const list = await api.listMutes();
      fromServer = true;
      replace(list);
    } catch (err) {
      if (!isNetworkError(err)) logger.warn('cannot load mutes', { err: String(err) });
    }
  };
  createEffect(on(eventsOpen, (open) => open && void refresh()));
  const off = onUserEvent((event) => {
    if (event.type === 'mute') apply(event.groupId, event.mute);
  });

  // Wake the readers when the next timed mute runs out.
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(() => {
    clearTimeout(timer);
    const at = now();
    let next = Infinity;
    for (const m of mutes().values())
      if (m.until !== null && m.until > at) next = Math.min(next, m.until);
    if (next === Infinity) return;
    timer = setTimeout(() => setNow(Date.now()), Math.min(next - at + 1, MAX_TIMER_MS));
  });
  onCleanup(() => {
    off();
    clearTimeout(timer);
  });

  const running = (id: GroupId): Mute | undefined => {
    const m = mutes().get(id);
    return isMutedAt(m, now()) ? m : undefined;
  };
  return {
    isMuted: (id) => running(id) !== undefined,
    until: (id) => running(id)?.until,
    async mute(id, until) {
      const mute = await api.mute(id, until);
      apply(id, mute);
    },
    async unmute(id) {
      await api.unmute(id);
      apply(id, null);
    },
  };
}
