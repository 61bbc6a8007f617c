import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

describe('createRateLimiter', () => {
  it('allows `limit` hits per sliding window and says when to retry', () => {
    let t = 1_000_000;
    const rl = createRateLimiter({ limit: 2, windowMs: 10_000, now: () => t });
    expect(rl.hit('k').ok).toBe(true);
    t += 4000;
    expect(rl.hit('k').ok).toBe(true);
    const refused = rl.hit('k');
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 6 });
    expect(rl.hit('other').ok).toBe(true);
    t += 6000; // the first hit left the window
    expect(rl.hit('k').ok).toBe(true);
    expect(rl.check('k').ok).toBe(false);
    rl.reset('k');
    expect(rl.check('k').ok).toBe(true);
  });

  it('is off with limit 0 and keeps memory bounded under many keys', () => {
    expect(createRateLimiter({ limit: 0, windowMs: 1000 }).hit('x').ok).toBe(true);
    const t = 0;
    const rl = createRateLimiter({ limit: 1, windowMs: 1000, maxKeys: 100, now: () => t });
    for (let i = 0; i < 1000; i++) rl.hit(`k${i}`);
    // the oldest keys were forgotten, the newest are still counted
    expect(rl.check('k0').ok).toBe(true);
    expect(rl.check('k999').ok).toBe(false);
  });
});
