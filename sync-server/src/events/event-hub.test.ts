import { describe, expect, it } from 'vitest';
import type { UserEvent } from '@canopy/shared';
import { createEventHub } from './event-hub.js';

function subscriber() {
  const got: UserEvent[] = [];
  let ended = false;
  return {
    got,
    isEnded: () => ended,
    send: (e: UserEvent) => got.push(e),
    end: () => (ended = true),
  };
}

describe('createEventHub', () => {
  it('ends exactly one session on logout, all but one on password change, all on ban', () => {
    const hub = createEventHub();
    const [a, b, c] = [subscriber(), subscriber(), subscriber()];
    hub.subscribe('u1', 's1', a);
    hub.subscribe('u1', 's2', b);
    hub.subscribe('u2', 's3', c);
    hub.endSession('s1', 'logout');
    expect(a.got).toEqual([{ type: 'session-ended', reason: 'logout' }]);
    expect(a.isEnded()).toBe(true);
    expect(b.isEnded()).toBe(false);

    hub.renameSession('s2', 's2b');
    hub.endUser('u1', 'password', { exceptSessionId: 's2b' });
    expect(b.isEnded()).toBe(false);
    hub.endUser('u2', 'banned');
    expect(c.got.at(-1)).toEqual({ type: 'session-ended', reason: 'banned' });
    expect(hub.size()).toBe(1);
    hub.publish(['u1', 'u2'], { type: 'group-removed', groupId: 'g'.repeat(21) as never });
    expect(b.got).toHaveLength(1);
    expect(c.got).toHaveLength(1);
  });
});
