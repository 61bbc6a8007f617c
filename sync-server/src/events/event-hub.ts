// In-memory hub of the per-user event streams (GET /api/events), keyed by user id and by
// the session each stream was opened with, so logout ends exactly that session's streams
// and a ban ends all of a user's. One instance per server; no module state.
import type { UserEvent } from '@canopy/shared';

export type SessionEndReason = 'logout' | 'password' | 'banned';

export interface EventSubscriber {
  send(event: UserEvent): void;
  /** called after the final 'session-ended' event was sent; the stream closes */
  end(): void;
}

interface Subscription extends EventSubscriber {
  userId: string;
  sessionId: string;
}

export interface EventHub {
  subscribe(userId: string, sessionId: string, subscriber: EventSubscriber): () => void;
  publish(userIds: Iterable<string>, event: UserEvent): void;
  hasSubscribers(userId?: string): boolean;
  /** open streams of one user */
  countFor(userId: string): number;
  endSession(sessionId: string, reason: SessionEndReason): void;
  endUser(userId: string, reason: SessionEndReason, options?: { exceptSessionId?: string }): void;
  /** a session was replaced (password change): its streams now belong to the new one */
  renameSession(oldId: string, newId: string): void;
  size(): number;
  /** server shutdown: end every stream without a 'session-ended' event */
  closeAll(): void;
}

export function createEventHub(): EventHub {
  const byUser = new Map<string, Set<Subscription>>();

  function remove(sub: Subscription): void {
    const set = byUser.get(sub.userId);
    if (!set) return;
    set.delete(sub);
    if (set.size === 0) byUser.delete(sub.userId);
  }

  function finish(sub: Subscription, reason: SessionEndReason): void {
    remove(sub);
    // A failing subscriber must not keep the others from hearing about the end.
    try {
      sub.send({ type: 'session-ended', reason });
    } finally {
      sub.end();
    }
  }

  return {
    subscribe(userId, sessionId, subscriber) {
      const sub: Subscription = { ...subscriber, userId, sessionId };
      const set = byUser.get(userId) ?? new Set();
      set.add(sub);
      byUser.set(userId, set);
      return () => remove(sub);
    },
    publish(userIds, event) {
      for (const userId of userIds) {
        const set = byUser.get(userId);
        if (!set) continue;
        for (const sub of set) sub.send(event);
      }
    },
    hasSubscribers(userId) {
      return userId === undefined ? byUser.size > 0 : byUser.has(userId);
    },
    countFor(userId) {
      return byUser.get(userId)?.size ?? 0;
    },
    endSession(sessionId, reason) {
      for (const set of [...byUser.values()]) {
        for (const sub of [...set]) if (sub.sessionId === sessionId) finish(sub, reason);
      }
    },
    endUser(userId, reason, options) {
      for (const sub of [...(byUser.get(userId) ?? [])]) {
        if (sub.sessionId !== options?.exceptSessionId) finish(sub, reason);
      }
    },
    renameSession(oldId, newId) {
      for (const set of byUser.values()) {
        for (const sub of set) if (sub.sessionId === oldId) sub.sessionId = newId;
      }
    },
    closeAll() {
      const all = [...byUser.values()].flatMap((set) => [...set]);
      byUser.clear();
      for (const sub of all) sub.end();
    },
    size() {
      let n = 0;
      for (const set of byUser.values()) n += set.size;
      return n;
    },
  };
}
