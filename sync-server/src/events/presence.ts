// Who is online, for the sidebar's direct messages (a group's own page reads presence from
// its document's awareness, which needs the document open). A user is online while they
// have an event stream open: the signed-in app keeps one while it has a network. Changes go
// to the streams of the user's DM partners as 'presence' events, and a stream that opens
// first hears which of its user's DM partners are online. Going offline waits `graceMs`
// after the last stream closed, so a reload (the stream closes and opens again) does not
// flap. One instance per server, beside the event hub.
import type { UserEvent, UserId } from '@canopy/shared';
import type { EventHub } from './event-hub.js';

export interface Presence {
  /** A stream of `userId` was subscribed to the hub; `send` reaches that stream only. */
  opened(userId: string, send: (event: UserEvent) => void): void;
  /** A stream of `userId` was unsubscribed from the hub. */
  closed(userId: string): void;
  isOnline(userId: string): boolean;
  /** `a` and `b` just got a DM: each hears whether the other is online. */
  introduce(a: string, b: string): void;
  /** Calls `listener` whenever a stream of a user opens (they are here); returns its removal. */
  onOpened(listener: (userId: string) => void): () => void;
  /** server shutdown: drop the pending offline notices */
  stop(): void;
}

export function createPresence(
  hub: EventHub,
  dmPartnersOf: (userId: string) => string[],
  graceMs: number,
): Presence {
  /** users whose last stream closed, until their grace ends */
  const leaving = new Map<string, NodeJS.Timeout>();
  const openListeners = new Set<(userId: string) => void>();
  let stopped = false;

  const announce = (userId: string, online: boolean): void => {
    const listening = dmPartnersOf(userId).filter((id) => hub.hasSubscribers(id));
    if (listening.length > 0) {
      hub.publish(listening, { type: 'presence', userId: userId as UserId, online });
    }
  };
  const isOnline = (userId: string): boolean => hub.countFor(userId) > 0 || leaving.has(userId);

  return {
    opened(userId, send) {
      const timer = leaving.get(userId);
      if (timer) {
        // Back within the grace: the partners never heard it was gone.
        clearTimeout(timer);
        leaving.delete(userId);
      } else if (hub.countFor(userId) === 1) {
        announce(userId, true);
      }
      for (const partner of dmPartnersOf(userId)) {
        if (isOnline(partner)) send({ type: 'presence', userId: partner as UserId, online: true });
      }
      for (const listener of openListeners) listener(userId);
    },
    onOpened(listener) {
      openListeners.add(listener);
      return () => openListeners.delete(listener);
    },
    closed(userId) {
      if (stopped || hub.countFor(userId) > 0 || leaving.has(userId)) return;
      const timer = setTimeout(() => {
        leaving.delete(userId);
        try {
          if (hub.countFor(userId) === 0) announce(userId, false);
        } catch {
          // A timer has no request to fail: a database error here must not end the process.
          // The partners' streams show the user online until they reopen.
        }
      }, graceMs);
      timer.unref();
      leaving.set(userId, timer);
    },
    isOnline,
    introduce(a, b) {
      for (const [to, about] of [
        [a, b],
        [b, a],
      ] as const) {
        if (hub.hasSubscribers(to) && isOnline(about)) {
          hub.publish([to], { type: 'presence', userId: about as UserId, online: true });
        }
      }
    },
    stop() {
      stopped = true;
      for (const timer of leaving.values()) clearTimeout(timer);
      leaving.clear();
    },
  };
}
