// Resolves true once a group reaches a status, false on timeout or a permanent close.
import type { GroupSync, SyncStatus } from './group-sync.js';

export function waitForStatus(
  sync: GroupSync,
  want: SyncStatus,
  timeoutMs: number,
): Promise<boolean> {
  if (sync.status() === want) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const off = sync.onStatus((s) => {
      if (s === want) done(true);
      else if (s === 'closed') done(false);
    });
    function done(ok: boolean): void {
      clearTimeout(timer);
      off();
      resolve(ok);
    }
  });
}
