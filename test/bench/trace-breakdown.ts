// Self time of a thread's trace events ("X" complete events, which nest), summed by event
// name inside time windows: where a send's main-thread time goes (script, style, layout,
// paint, GC, …). Self time = an event's duration minus that of the events nested in it.
export interface TraceSlice {
  name: string;
  ts: number;
  dur: number;
}

/** Sum of self time (ms) by event name over all windows, divided by the window count. */
export function selfTimeByName(
  slices: readonly TraceSlice[],
  windows: readonly { start: number; end: number }[],
): Map<string, number> {
  const sorted = [...slices].sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map<string, number>();
  const inWindow = (t: number): boolean => windows.some((w) => t >= w.start && t < w.end);
  const stack: { slice: TraceSlice; childDur: number }[] = [];
  const close = (upTo: number): void => {
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.slice.ts + top.slice.dur > upTo) return;
      stack.pop();
      if (stack.length > 0) stack[stack.length - 1]!.childDur += top.slice.dur;
      if (inWindow(top.slice.ts)) {
        const own = Math.max(0, top.slice.dur - top.childDur);
        self.set(top.slice.name, (self.get(top.slice.name) ?? 0) + own);
      }
    }
  };
  for (const s of sorted) {
    close(s.ts);
    stack.push({ slice: s, childDur: 0 });
  }
  close(Infinity);
  const n = Math.max(1, windows.length);
  return new Map([...self].map(([name, us]) => [name, us / 1000 / n]));
}
