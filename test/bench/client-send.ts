// Main-thread cost of sending one message in the real app, two ways:
//  - handler: the synchronous Enter keydown dispatch on the composer (the send transaction,
//    Yjs observers, IndexedDB and socket writes, Solid updates), timed in the page;
//  - busy: every main-thread task (CDP trace, "RunTask" on the renderer's main thread) from
//    the send until the next send, i.e. handler + render of the new row + ResizeObserver +
//    IndexedDB callbacks + the relay's ACK, minus idle time.
// Each send's window runs from the keydown to an idle gap after its row appeared (long
// enough for the relay's ACK and the sidebar summary); typing the text (input event,
// awareness) happens before the window opens. The series' total CPU per send is reported
// too: it also holds the typing and the throttled work between windows. As a baseline,
// windows of the same length with no send show what the page's main thread does anyway
// (timers, presence, the connection): the send's own share is the difference.
import type { CDPSession, Page } from 'playwright-core';
import type { BrowserGlobals } from './client-dom.js';
import { median } from './report.js';
import { selfTimeByName } from './trace-breakdown.js';

export interface SendSample {
  handlerMs: number;
  /** from the keydown to the row with the text being in the DOM */
  toRowMs: number;
  busyMs: number;
  /** the same tasks' main-thread CPU time (thread time: immune to waiting for a core) */
  cpuMs: number;
  /** thread time of the keydown dispatch: the handler without time spent off the core */
  handlerCpuMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** thread (CPU) time of the event, µs */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { type?: string } };
}

const MARK_PREFIX = 'bench:send:';
const END_PREFIX = 'bench:end:';
const IDLE_PREFIX = 'bench:idle:';
const IDLE_END_PREFIX = 'bench:idle-end:';
/** baseline windows measured after the sends */
const IDLE_WINDOWS = 20;
/** Top-level task events of the renderer's main thread (the name changed across Chromium versions). */
const TASK_NAMES = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);

/** One send from the page: type (outside the timing), then Enter. */
export function sendOnce(arg: {
  i: number;
  gapMs: number;
}): Promise<{ handlerMs: number; toRowMs: number }> {
  const text = `Benchmark message ${arg.i}: a quick note about the release plan for today`;
  const {
    document,
    MutationObserver,
    HTMLTextAreaElement,
    KeyboardEvent,
    Event,
    requestAnimationFrame,
  } = globalThis as unknown as BrowserGlobals;
  const area = document.querySelector('textarea[aria-label="Message"]');
  if (!area) throw new Error('no composer');
  // The native setter, as a user's typing sets it (Solid reads the input event's target value).
  Reflect.set(HTMLTextAreaElement.prototype, 'value', text, area);
  area.dispatchEvent(new Event('input', { bubbles: true }));
  const frame = (): Promise<void> =>
    new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return frame()
    .then(frame)
    .then(
      () =>
        new Promise((resolve) => {
          const list = document.querySelector('[role="log"]') ?? document.body;
          let t0 = 0;
          let handlerMs = 0;
          const found = (): boolean =>
            Array.from(list.querySelectorAll('.message-text')).some((p) => p.textContent === text);
          const observer = new MutationObserver(() => {
            if (!found()) return;
            const toRowMs = performance.now() - t0;
            observer.disconnect();
            setTimeout(() => {
              performance.mark(`bench:end:${arg.i}`);
              resolve({ handlerMs, toRowMs });
            }, arg.gapMs);
          });
          observer.observe(list, { childList: true, subtree: true, characterData: true });
          performance.mark(`bench:send:${arg.i}`);
          t0 = performance.now();
          area.dispatchEvent(
            new KeyboardEvent('keydown', {
              key: 'Enter',
              code: 'Enter',
              bubbles: true,
              cancelable: true,
            }),
          );
          handlerMs = performance.now() - t0;
        }),
    );
}

/** Resolves when the page has been idle twice (what it does after a change has run). */
export function waitForIdle(): Promise<void> {
  const { requestIdleCallback } = globalThis as unknown as BrowserGlobals;
  return new Promise((resolve) =>
    requestIdleCallback(() => requestIdleCallback(() => resolve(), { timeout: 1000 }), {
      timeout: 1000,
    }),
  );
}

/** A window of `ms` with no send, marked like a send's (the baseline). */
export function idleWindow(arg: { i: number; ms: number }): Promise<void> {
  performance.mark(`bench:idle:${arg.i}`);
  return new Promise((resolve) =>
    setTimeout(() => {
      performance.mark(`bench:idle-end:${arg.i}`);
      resolve();
    }, arg.ms),
  );
}

export interface SendMeasure {
  samples: SendSample[];
  /** main-thread CPU (ms) of windows as long as the sends' median window, with no send */
  idleCpuMs: number[];
  /** mean self time per send (ms) by trace event name, in the sends' windows */
  breakdown: Map<string, number>;
  /** main-thread CPU of the whole series (typing included) divided by the sends, ms */
  overallCpuMs: number;
}

/**
 * `before` runs ahead of each measured send, outside its window (e.g. a message from someone
 * else arrives first).
 */
export async function measureSends(
  page: Page,
  count: number,
  gapMs: number,
  before?: (i: number) => Promise<void>,
): Promise<SendMeasure> {
  const cdp = await page.context().newCDPSession(page);
  try {
    // Warm-up: the first sends compile code paths and grow caches.
    for (let i = 0; i < 3; i++) await page.evaluate(sendOnce, { i: -1 - i, gapMs });
    await cdp.send('Tracing.start', {
      traceConfig: { includedCategories: ['toplevel', 'blink.user_timing', 'devtools.timeline'] },
      transferMode: 'ReturnAsStream',
    });
    const inPage: { handlerMs: number; toRowMs: number }[] = [];
    for (let i = 0; i < count; i++) {
      await before?.(i);
      inPage.push(await page.evaluate(sendOnce, { i, gapMs }));
    }
    // The sends' windows last from the keydown to gapMs after the row appeared.
    const windowMs = Math.round(median(inPage.map((s) => s.toRowMs)) + gapMs);
    for (let i = 0; i < IDLE_WINDOWS; i++) await page.evaluate(idleWindow, { i, ms: windowMs });
    const events = await endTrace(cdp);
    const trace = sendTrace(events, count);
    const busy = trace ? busyPerSend(trace) : [];
    const handlerCpu = trace ? keydownCpuPerSend(trace) : [];
    const samples = inPage.map((s, i) => ({
      ...s,
      busyMs: busy[i]?.wall ?? NaN,
      cpuMs: busy[i]?.cpu ?? NaN,
      handlerCpuMs: handlerCpu[i] ?? NaN,
    }));
    return {
      samples,
      idleCpuMs: trace ? idleCpu(events, trace) : [],
      breakdown: trace ? breakdownPerSend(trace) : new Map<string, number>(),
      overallCpuMs: trace ? cpuPerSendOverall(trace) : NaN,
    };
  } finally {
    await cdp.detach();
  }
}

async function endTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const done = new Promise<string>((resolve) =>
    cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream ?? '')),
  );
  await cdp.send('Tracing.end');
  const handle = await done;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle, size: 4 << 20 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle });
  const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}

function marksOf(events: TraceEvent[], prefix: string): Map<number, TraceEvent> {
  const marks = new Map<number, TraceEvent>();
  for (const e of events) {
    if (e.name.startsWith(prefix)) {
      const i = Number(e.name.slice(prefix.length));
      if (i >= 0 && !marks.has(i)) marks.set(i, e);
    }
  }
  return marks;
}

/** The page's main thread (the one that emitted the marks) and each send's window. */
interface SendTrace {
  /** complete ("X") events of that thread, by start time */
  thread: TraceEvent[];
  /** top-level tasks among them */
  tasks: TraceEvent[];
  /** per send: [send mark, end mark] in trace µs, or null if a mark is missing */
  windows: ({ start: number; end: number } | null)[];
}

function sendTrace(events: TraceEvent[], count: number): SendTrace | null {
  const marks = marksOf(events, MARK_PREFIX);
  const endMarks = marksOf(events, END_PREFIX);
  const first = marks.get(0);
  if (!first) return null;
  const thread = events
    .filter((e) => e.pid === first.pid && e.tid === first.tid && e.ph === 'X' && e.dur)
    .sort((a, b) => a.ts - b.ts);
  const windows = Array.from({ length: count }, (_, i) => {
    const start = marks.get(i)?.ts;
    const end = endMarks.get(i)?.ts;
    return start === undefined || end === undefined ? null : { start, end };
  });
  return { thread, tasks: thread.filter((e) => TASK_NAMES.has(e.name)), windows };
}

/** Union of the task intervals clipped to [start, end) (tasks may nest), wall and CPU ms. */
function busyIn(tasks: TraceEvent[], start: number, end: number): { wall: number; cpu: number } {
  let busy = 0;
  let cpu = 0;
  let covered = start;
  for (const t of tasks) {
    if (t.ts >= end) break;
    const from = Math.max(t.ts, covered);
    const to = Math.min(t.ts + t.dur!, end);
    if (to <= from) continue;
    busy += to - from;
    // A task cut by the window counts with the share of its CPU time inside it.
    cpu += (t.tdur ?? t.dur!) * ((to - from) / t.dur!);
    covered = to;
  }
  return { wall: busy / 1000, cpu: cpu / 1000 };
}

/** Main-thread task time (ms) in each send's window. */
function busyPerSend(t: SendTrace): { wall: number; cpu: number }[] {
  return t.windows.map((w) => (w ? busyIn(t.tasks, w.start, w.end) : { wall: NaN, cpu: NaN }));
}

/**
 * All main-thread CPU from the first send to the end of the last one, per send: includes
 * typing each text and the throttled work (tail cache, summaries) that falls between windows.
 */
function cpuPerSendOverall(t: SendTrace): number {
  const first = t.windows[0];
  const last = t.windows[t.windows.length - 1];
  if (!first || !last) return NaN;
  return busyIn(t.tasks, first.start, last.end).cpu / t.windows.length;
}

/** Where the sends' main-thread time goes: self time by event name, mean per send. */
function breakdownPerSend(t: SendTrace): Map<string, number> {
  const windows = t.windows.filter((w) => w !== null);
  return selfTimeByName(
    t.thread.map((e) => ({ name: e.name, ts: e.ts, dur: e.dur! })),
    windows,
  );
}

/** Main-thread CPU (ms) of each baseline window, on the sends' thread. */
function idleCpu(events: TraceEvent[], t: SendTrace): number[] {
  const starts = marksOf(events, IDLE_PREFIX);
  const ends = marksOf(events, IDLE_END_PREFIX);
  const out: number[] = [];
  for (const [i, start] of starts) {
    const end = ends.get(i);
    if (end) out.push(busyIn(t.tasks, start.ts, end.ts).cpu);
  }
  return out;
}

/** Thread time (ms) of each send's keydown dispatch (the first one in its window). */
function keydownCpuPerSend(t: SendTrace): number[] {
  const keydowns = t.thread.filter(
    (e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown',
  );
  return t.windows.map((w) => {
    const hit = w && keydowns.find((e) => e.ts >= w.start && e.ts < w.end);
    return hit ? (hit.tdur ?? hit.dur ?? NaN) / 1000 : NaN;
  });
}
