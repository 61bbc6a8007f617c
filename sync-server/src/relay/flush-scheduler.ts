// Runs one flush at a time: schedule() asks for a flush on the next event-loop turn
// (setImmediate, so every frame that arrived in this turn joins the same batch) or after
// `intervalMs`. Under load, flushes start at least `minGapMs` apart: every flush ends in a
// broadcast, i.e. one socket write per peer, and those writes are most of the relay's
// CPU; a few ms of coalescing merges more updates per write, while a lone update after a
// quiet moment still goes out on the next turn. A schedule() during a running flush runs
// another one after it. drain() resolves once nothing is pending or running.
import { performance } from 'node:perf_hooks';

export interface FlushScheduler {
  schedule(): void;
  drain(): Promise<void>;
  stop(): void;
}

export function createFlushScheduler(
  run: () => Promise<void>,
  hasPending: () => boolean,
  intervalMs: number | undefined,
  onError: (err: unknown) => void,
  minGapMs = 0,
): FlushScheduler {
  let timer: NodeJS.Immediate | NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let lastStart = -Infinity;

  const fire = (): void => {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    lastStart = performance.now();
    running = run()
      .catch(onError)
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          if (hasPending()) schedule();
        }
      });
  };

  const schedule = (): void => {
    if (timer || running) {
      if (running) again = true;
      return;
    }
    if (intervalMs !== undefined && intervalMs > 0) {
      timer = setTimeout(fire, intervalMs);
      return;
    }
    const wait = lastStart + minGapMs - performance.now();
    timer = wait >= 1 ? setTimeout(fire, wait) : setImmediate(fire);
  };

  const cancel = (): void => {
    if (timer === null) return;
    clearTimeout(timer as NodeJS.Timeout);
    clearImmediate(timer as NodeJS.Immediate);
    timer = null;
  };

  return {
    schedule,
    async drain() {
      // Bounded loop: each pass commits what was pending when it started.
      for (let i = 0; i < 1000; i++) {
        if (running) {
          await running;
          continue;
        }
        if (!hasPending()) return;
        cancel();
        fire();
      }
    },
    stop: cancel,
  };
}
