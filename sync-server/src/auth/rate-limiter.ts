// In-memory sliding-window rate limiter (a log of hit times per key). One instance per
// rule (login per IP, failed logins per account, …); nothing is module-global. Memory is
// bounded: each key keeps at most `limit` timestamps and old keys are swept.
export interface RateLimiterOptions {
  /** hits allowed per window; 0 switches the limiter off */
  limit: number;
  windowMs: number;
  /** keys kept before a sweep drops expired ones (and then the oldest) */
  maxKeys?: number;
  now?: () => number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Would one more hit be allowed? Does not count. */
  check(key: string): RateDecision;
  /** Count a hit and say whether it was allowed (a refused hit is not counted). */
  hit(key: string): RateDecision;
  reset(key: string): void;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowMs } = options;
  const maxKeys = options.maxKeys ?? 100_000;
  const now = options.now ?? Date.now;
  const hits = new Map<string, number[]>();

  function live(key: string, t: number): number[] {
    const list = hits.get(key);
    if (!list) return [];
    while (list.length > 0 && list[0]! <= t - windowMs) list.shift();
    if (list.length === 0) hits.delete(key);
    return list;
  }

  function decide(list: number[], t: number): RateDecision {
    if (list.length < limit) return { ok: true };
    const retryMs = list[0]! + windowMs - t;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) };
  }

  function sweep(t: number): void {
    for (const key of [...hits.keys()]) live(key, t);
    // Still too many live keys (a flood of distinct keys): forget the oldest inserted.
    for (const key of hits.keys()) {
      if (hits.size <= maxKeys) break;
      hits.delete(key);
    }
  }

  return {
    check(key) {
      if (limit <= 0) return { ok: true };
      const t = now();
      return decide(live(key, t), t);
    },
    hit(key) {
      if (limit <= 0) return { ok: true };
      const t = now();
      const list = live(key, t);
      const decision = decide(list, t);
      if (!decision.ok) return decision;
      if (list.length === 0) {
        if (hits.size >= maxKeys) sweep(t);
        hits.set(key, list);
      }
      list.push(t);
      return decision;
    },
    reset(key) {
      hits.delete(key);
    },
  };
}
