// The client benchmark's printed report: cold opens, send cost and heap next to the targets
// of the web-app issue, then the CPU profile hot spots. Figures only; nothing is asserted.
import type { DocCost } from './client-doc-cost.js';
import type { OpenTimes } from './client-page.js';
import type { ProfileSummary } from './client-profile.js';
import type { SendSample } from './client-send.js';
import type { ScrollSample } from './client-scroll.js';
import { SCROLL_SETTINGS } from './client-scroll.js';

export interface OpenResult {
  size: number;
  offline: boolean;
  runs: OpenTimes[];
  heapBytes: number | null;
}

export interface SendResult {
  size: number;
  samples: SendSample[];
  /** mean main-thread self time per send by trace event name (ms) */
  breakdown: Record<string, number>;
  /** main-thread CPU of the whole series (typing included) per send, ms */
  overallCpuMs: number;
  /** main-thread CPU of equal windows with no send (the page's background), ms */
  idleCpuMs: number[];
}

export interface ScrollResult {
  size: number;
  samples: ScrollSample[];
}

export interface ReportInput {
  date: string;
  chromium: string | null;
  viewport: { width: number; height: number };
  opens: OpenResult[];
  sends: SendResult[];
  /** sends right after a message from someone else arrived (and the page went idle) */
  replies: SendResult[];
  scrolls: ScrollResult[];
  docCosts: DocCost[];
  profiles: Record<string, ProfileSummary>;
}

export function quantile(values: number[], q: number): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))]!;
}

const f = (v: number, digits = 0): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');
const k = (n: number): string => `${n / 1000}k`;
const pad = (s: string, n: number): string => s.padEnd(n);

function openTarget(size: number): number {
  return size >= 100_000 ? 1000 : 400;
}

export function printReport(r: ReportInput): void {
  const out: string[] = [];
  out.push(
    '',
    `Canopy client benchmark — ${r.date}, Chromium ${r.chromium ?? '?'}, viewport ${r.viewport.width}x${r.viewport.height}`,
  );
  out.push('', 'Cold open (new tab, same profile; ms from navigation start; min / p50 / max)');
  out.push(
    `  ${pad('group', 14)}${pad('network', 9)}${pad('newest 50 in DOM', 22)}${pad('whole document shown', 24)}${pad('doc loaded mark', 18)}${pad('long tasks p50', 16)}target (newest 50)`,
  );
  for (const o of r.opens) {
    const tail = o.runs.map((t) => t.tail50);
    const doc = o.runs.map((t) => t.docShown ?? NaN);
    const loaded = o.runs.map((t) => t.marks['local-loaded'] ?? NaN);
    const longMs = o.runs.map((t) => t.longTasks.totalMs);
    const target = openTarget(o.size);
    const p50 = quantile(tail, 0.5);
    out.push(
      `  ${pad(`${k(o.size)} msgs`, 14)}${pad(o.offline ? 'offline' : 'online', 9)}` +
        `${pad(`${f(Math.min(...tail))} / ${f(p50)} / ${f(Math.max(...tail))}`, 22)}` +
        `${pad(`${f(Math.min(...doc))} / ${f(quantile(doc, 0.5))} / ${f(Math.max(...doc))}`, 24)}` +
        `${pad(f(quantile(loaded, 0.5)), 18)}${pad(`${f(quantile(longMs, 0.5))} ms`, 16)}` +
        `≤ ${target} ms: ${p50 <= target ? 'met' : 'NOT met'} (whole document: ${quantile(doc, 0.5) <= target ? 'met' : 'not met'})`,
    );
  }

  scrollTable(out, r.scrolls);

  out.push('', 'Sending one message (ms; p50 / p99 over the sends)');
  sendTable(out, r.sends);
  if (r.replies.length > 0) {
    out.push('', 'Replying: sending right after a message from someone else was shown');
    sendTable(out, r.replies);
  }

  for (const s of r.sends) {
    out.push(
      `  all main-thread CPU of the ${k(s.size)} series per send (typing included): ${f(s.overallCpuMs, 2)} ms`,
    );
  }
  for (const s of r.sends) {
    if (s.idleCpuMs.length === 0) continue;
    const idle50 = quantile(s.idleCpuMs, 0.5);
    const send50 = quantile(
      s.samples.map((x) => x.cpuMs),
      0.5,
    );
    out.push(
      `  at ${k(s.size)}: an equal window with no send costs ${f(idle50, 2)} / ${f(quantile(s.idleCpuMs, 0.99), 2)} ms of main-thread CPU (p50 / p99, the page's background); ` +
        `a send's own share at p50: ${f(send50 - idle50, 2)} ms`,
    );
  }
  for (const s of r.sends) {
    const top = Object.entries(s.breakdown)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8);
    if (top.length === 0) continue;
    out.push(
      `  where one send's main-thread time goes at ${k(s.size)} (mean self time by trace event): ` +
        top.map(([name, ms]) => `${name} ${f(ms, 2)}`).join(', '),
    );
  }

  out.push(
    '',
    'Pure document cost in the page (bundled Yjs + y-indexeddb, no app; same IndexedDB data)',
  );
  out.push(
    `  ${pad('group', 14)}${pad('y-indexeddb load', 20)}${pad('as the app loads', 20)}` +
      'appendMessage p50 / p99',
  );
  for (const d of r.docCosts) {
    out.push(
      `  ${pad(`${k(d.size)} msgs`, 14)}${pad(`${f(d.loadMs)} ms`, 20)}` +
        `${pad(`${f(d.appLoadMs)} ms`, 20)}` +
        `${f(quantile(d.appendMs, 0.5), 3)} / ${f(quantile(d.appendMs, 0.99), 3)} ms`,
    );
  }

  out.push('', 'Memory (JS heap of the tab after a full GC, group open)');
  for (const o of r.opens) {
    if (o.heapBytes === null) continue;
    out.push(
      `  ${pad(`${k(o.size)} msgs`, 14)}${pad(o.offline ? 'offline' : 'online', 9)}${f(o.heapBytes / 1e6, 1)} MB`,
    );
  }

  for (const [name, p] of Object.entries(r.profiles)) {
    out.push(
      '',
      `CPU profile: ${name} — ${f(p.totalMs)} ms sampled, ${f(p.idleMs)} ms idle; self time by source`,
    );
    for (const row of p.bySource.slice(0, 12)) out.push(`  ${pad(f(row.ms), 8)}${row.name}`);
    out.push('  by innermost app function on the stack (self + library callees):');
    for (const row of p.byAppCaller.slice(0, 10)) out.push(`  ${pad(f(row.ms), 8)}${row.name}`);
    out.push('  hottest functions:');
    for (const row of p.byFunction.slice(0, 12)) out.push(`  ${pad(f(row.ms), 8)}${row.name}`);
    out.push('  functions by inclusive time (self + callees):');
    for (const row of p.byFunctionTotal.slice(0, 25)) {
      out.push(`  ${pad(f(row.ms), 8)}${row.name}`);
    }
  }
  out.push('');
  process.stdout.write(out.join('\n'));
}

const SEND_COLUMNS: [string, (x: SendSample) => number][] = [
  ['Enter handler', (x) => x.handlerMs],
  ['Enter handler CPU', (x) => x.handlerCpuMs],
  ['main-thread CPU', (x) => x.cpuMs],
  ['main-thread wall', (x) => x.busyMs],
  ['keydown → row', (x) => x.toRowMs],
];

/** One row per group size, then the largest against the smallest next to the targets. */
function sendTable(out: string[], results: SendResult[]): void {
  out.push(`  ${pad('group', 14)}${SEND_COLUMNS.map(([name]) => pad(name, 20)).join('')}`);
  for (const s of results) {
    const cells = SEND_COLUMNS.map(([, pick]) => {
      const v = s.samples.map(pick);
      return pad(`${f(quantile(v, 0.5), 2)} / ${f(quantile(v, 0.99), 2)}`, 20);
    });
    out.push(`  ${pad(`${k(s.size)} msgs`, 14)}${cells.join('')}`);
  }
  if (results.length < 2) return;
  const small = results[0]!;
  const big = results[results.length - 1]!;
  const p = (s: SendResult, pick: (x: SendSample) => number, q: number): number =>
    quantile(s.samples.map(pick), q);
  for (const [name, pick] of SEND_COLUMNS.slice(0, 3)) {
    const ratio = p(big, pick, 0.5) / p(small, pick, 0.5);
    const p99 = p(big, pick, 0.99);
    out.push(
      `  ${pad(name, 18)}${k(big.size)} / ${k(small.size)} at p50: ${f(ratio, 2)}x (target ≤ 1.5x: ${ratio <= 1.5 ? 'met' : 'NOT met'}); ` +
        `p99 at ${k(big.size)}: ${f(p99, 2)} ms (target < 2 ms: ${p99 < 2 ? 'met' : 'NOT met'})`,
    );
  }
}

function scrollTable(out: string[], scrolls: ScrollResult[]): void {
  if (scrolls.length === 0) return;
  const { frames, stepPx } = SCROLL_SETTINGS;
  out.push(
    '',
    `Scrolling up through history (a fling: ${stepPx} px every animation frame, ${frames} frames per run; all runs together)`,
  );
  out.push(
    `  ${pad('group', 14)}${pad('frame interval p50 / p95 / p99 / max', 38)}${pad('frames > 25 ms', 16)}${pad('long frames', 13)}${pad('blank', 12)}${pad('rows in DOM', 13)}jump to oldest`,
  );
  for (const s of scrolls) {
    const intervals = s.samples.flatMap((x) => x.intervals);
    const late = intervals.filter((v) => v > 25).length;
    const longFrames = s.samples.flatMap((x) => x.longFrames);
    const checks = s.samples.reduce((n, x) => n + x.checks, 0);
    const blank = s.samples.reduce((n, x) => n + x.blank, 0);
    const rows = Math.max(...s.samples.map((x) => x.maxRows));
    const jumps = s.samples.map((x) => x.jumpMs);
    out.push(
      `  ${pad(`${k(s.size)} msgs`, 14)}` +
        `${pad(`${f(quantile(intervals, 0.5), 1)} / ${f(quantile(intervals, 0.95), 1)} / ${f(quantile(intervals, 0.99), 1)} / ${f(Math.max(...intervals), 1)} ms`, 38)}` +
        `${pad(`${late} of ${intervals.length}`, 16)}` +
        `${pad(longFrames.length === 0 ? 'none' : `${longFrames.length}, max ${f(Math.max(...longFrames))} ms`, 13)}` +
        `${pad(`${blank} of ${checks}`, 12)}${pad(String(rows), 13)}` +
        `${jumps.map((j) => `${f(j)} ms`).join(', ')}`,
    );
  }
  const distance = scrolls.flatMap((s) => s.samples.map((x) => x.distancePx));
  out.push(
    `  (each run moved ${f(Math.min(...distance))}-${f(Math.max(...distance))} px; "blank": the middle of the list without a row, checked every 4th frame)`,
  );
}
