// Token bucket per connection: `ratePerSecond` tokens refill continuously up to `burst`.
// One frame costs one token; an empty bucket means the client floods and gets closed.
export interface RateLimiter {
  /** Take one token; false when the bucket is empty. */
  take(): boolean;
}

export function createRateLimiter(
  ratePerSecond: number,
  burst: number,
  now: () => number = Date.now,
): RateLimiter {
  let tokens = burst;
  let last = now();
  return {
    take() {
      const t = now();
      if (t > last) {
        tokens = Math.min(burst, tokens + ((t - last) * ratePerSecond) / 1000);
        last = t;
      }
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
