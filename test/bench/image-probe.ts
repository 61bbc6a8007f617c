// Main-thread watch of the image benchmark, installed in the page before the app: long tasks
// (> 50 ms), long animation frames (which name the scripts that ran) and a 10 ms timer chain
// whose lateness also shows blocks under 50 ms. windowStats() reads all three for a span of
// page time; measured() runs a page expression inside such a span.
import type { Page } from 'playwright-core';

// Plain JS (the test project has no DOM types); runs in the page.
export const PROBE = `
globalThis.__imageBench = { longTasks: [], frames: [], lateTicks: [] };
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    globalThis.__imageBench.longTasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: true });
// Long animation frames name the scripts that ran in them: what blocked, if anything did.
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    globalThis.__imageBench.frames.push({ start: e.startTime, duration: e.duration,
      scripts: e.scripts.map((x) => (x.invoker || x.sourceURL || '?').slice(-60) + ' ' +
        Math.round(x.duration) + ' ms') });
}).observe({ type: 'long-animation-frame', buffered: true });
// A 10 ms timer chain, not a busy MessageChannel loop: a spinning ticker would take a core
// from the worker on a 2-core machine. Lateness beyond the 10 ms is time the thread was busy;
// late ticks are kept with their time so a window can be read afterwards.
globalThis.__imageBenchTicker = () => {
  let last = performance.now(), max = 0, running = true;
  const tick = () => {
    const now = performance.now();
    const late = now - last - 10;
    max = Math.max(max, late);
    if (late > 1) globalThis.__imageBench.lateTicks.push({ at: now, late });
    last = now;
    if (running) setTimeout(tick, 10);
  };
  setTimeout(tick, 10);
  return () => { running = false; return Math.max(0, max); };
};
// The main thread's record over [start, end] (page time).
globalThis.__imageBenchWindow = (start, end) => {
  const b = globalThis.__imageBench;
  const overlaps = (s, d) => s + d > start && s < end;
  return {
    longestTaskMs: b.longTasks.filter((t) => overlaps(t.start, t.duration))
      .reduce((m, t) => Math.max(m, t.duration), 0),
    // A late tick covers the block that ended at it.
    maxGapMs: b.lateTicks.filter((t) => overlaps(t.at - t.late - 10, t.late + 10))
      .reduce((m, t) => Math.max(m, t.late), 0),
    blockers: b.frames.filter((f) => overlaps(f.start, f.duration)).flatMap((f) => f.scripts),
  };
};
`;

export interface Window {
  start: number;
  end: number;
  longestTaskMs: number;
  maxGapMs: number;
  /** scripts of long animation frames in the window (what ran on the main thread) */
  blockers: string[];
}

/** Runs `body` (an async page expression) and reports the main thread's longest block. */
export async function measured<T>(page: Page, body: string): Promise<{ value: T } & Window> {
  return page.evaluate<{ value: T } & Window>(`(async () => {
    const stop = globalThis.__imageBenchTicker();
    const start = performance.now();
    const value = await (${body});
    const end = performance.now();
    const maxGapMs = stop();
    const w = globalThis.__imageBenchWindow(start, end);
    return { value, start, end, longestTaskMs: w.longestTaskMs, maxGapMs, blockers: w.blockers };
  })()`);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
