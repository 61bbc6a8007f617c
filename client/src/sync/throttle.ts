// Leading + trailing throttle: the first call runs at once, later calls within the window
// collapse into one run at its end. Markers use it so that a busy group does not make
// every member write a marker update for every message.
export interface Throttled {
  (): void;
  cancel(): void;
}

export function throttle(fn: () => void, windowMs: number): Throttled {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (): void => {
    timer = undefined;
    last = Date.now();
    fn();
  };
  const throttled = (): void => {
    const wait = last + windowMs - Date.now();
    if (wait <= 0 && timer === undefined) run();
    else timer ??= setTimeout(run, Math.max(0, wait));
  };
  throttled.cancel = (): void => {
    clearTimeout(timer);
    timer = undefined;
  };
  return throttled;
}
