// Runs one flush at a time: schedule() asks for a flush on the next event-loop turn
// (setImmediate, so every frame that arrived in this turn joins the same batch) or after
// `intervalMs`. A schedule() during a running flush runs another one right after it.
// drain() resolves once nothing is pending or running.
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
): FlushScheduler {
  let timer: NodeJS.Immediate | NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;

  const fire = (): void => {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    running = run()
      .catch(onError)
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          if (hasPending()) fire();
        }
      });
  };

  const schedule = (): void => {
    if (timer || running) {
      if (running) again = true;
      return;
    }
    timer =
      intervalMs !== undefined && intervalMs > 0
        ? setTimeout(fire, intervalMs)
        : setImmediate(fire);
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
