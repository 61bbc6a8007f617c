// The image benchmark's table: each figure next to its target, then the scripts named by long
// animation frames (what ran on the page's thread) for the windows that had any.
import { percentile } from './image-probe.js';
import type { UiPathResult, UiRun } from './image-ui-path.js';

export interface ImageResult {
  warm: {
    loadMs: number;
    firstRunMs: number;
    wallMs: number;
    longestTaskMs: number;
    maxGapMs: number;
    blockers: string[];
  };
  inference: {
    runs: number;
    workerP50: number;
    workerP95: number;
    roundTripP50: number;
    roundTripP95: number;
  };
  photo: {
    runs: number;
    p50: number;
    max: number;
    longestTaskMs: number;
    maxGapMs: number;
    blockers: string[];
    stagesP50: Record<string, number>;
    output: string;
  };
  ui: UiSummary;
}

type Mark = keyof UiRun['marks'];
type Main = { longestTaskMs: number; maxGapMs: number; blockers: string[] };

export interface UiSummary {
  runs: number;
  /** per mark: p50 and max over the measured runs (ms after the files were chosen) */
  marks: Record<Mark, { p50: number; max: number; missing: number }>;
  local: Main;
  full: Main;
  warmUp: UiRun;
  each: UiRun[];
}

const MARKS: Mark[] = ['checking', 'item', 'preview', 'row'];

function mainThread(runs: UiRun[], key: 'local' | 'full'): Main {
  return {
    longestTaskMs: Math.max(0, ...runs.map((r) => r[key].longestTaskMs)),
    maxGapMs: Math.max(0, ...runs.map((r) => r[key].maxGapMs)),
    blockers: [...new Set(runs.flatMap((r) => r[key].blockers))],
  };
}

export function summarizeUi(result: UiPathResult): UiSummary {
  const { runs } = result;
  const marks = Object.fromEntries(
    MARKS.map((m) => {
      const values = runs.map((r) => r.marks[m]).filter((v): v is number => v !== null);
      return [
        m,
        {
          p50: percentile(values, 50),
          max: Math.max(...values),
          missing: runs.length - values.length,
        },
      ];
    }),
  ) as UiSummary['marks'];
  return {
    runs: runs.length,
    marks,
    local: mainThread(runs, 'local'),
    full: mainThread(runs, 'full'),
    warmUp: result.warmUp,
    each: runs,
  };
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;
const longest = (n: number): string => (n > 0 ? ms(n) : 'none > 50 ms');

function uiRows(u: UiSummary): [string, string, string][] {
  const m = u.marks;
  const missing = (k: Mark): string => (m[k].missing > 0 ? ` (${m[k].missing} runs never)` : '');
  return [
    [
      `UI: photo chosen → pending item with local preview p50 (${u.runs} runs)`,
      ms(m.preview.p50) + missing('preview'),
      '≤ 500 ms',
    ],
    ['UI: photo chosen → pending item with local preview max', ms(m.preview.max), ''],
    ['  "Checking" item shown p50', ms(m.checking.p50) + missing('checking'), ''],
    ['  pending item (placeholder) shown p50', ms(m.item.p50), ''],
    [
      'UI: photo chosen → message row in the list (uploaded) p50 / max',
      `${ms(m.row.p50)} / ${ms(m.row.max)}`,
      '',
    ],
    [
      '  unmeasured warm-up photo: local preview / row',
      `${ms(u.warmUp.marks.preview ?? NaN)} / ${ms(u.warmUp.marks.row ?? NaN)}`,
      '',
    ],
    [
      'longest main-thread task (chosen → shown locally)',
      longest(u.local.longestTaskMs),
      '≤ 50 ms',
    ],
    ['largest timer lateness (chosen → shown locally)', ms(u.local.maxGapMs), '≤ 50 ms'],
    ['longest main-thread task (chosen → row in list)', longest(u.full.longestTaskMs), '≤ 50 ms'],
    ['largest timer lateness (chosen → row in list)', ms(u.full.maxGapMs), '≤ 50 ms'],
  ];
}

export function printReport(r: ImageResult): void {
  const rows: [string, string, string][] = [
    ['model load (fetch + session create)', ms(r.warm.loadMs), ''],
    ['first inference (warm-up)', ms(r.warm.firstRunMs), ''],
    ['warmClassifier() wall time', ms(r.warm.wallMs), ''],
    [`warm inference p50 (worker, ${r.inference.runs} runs)`, ms(r.inference.workerP50), '≤ 60 ms'],
    ['warm inference p95 (worker)', ms(r.inference.workerP95), ''],
    [
      'warm inference p50 / p95 (page round trip)',
      `${ms(r.inference.roundTripP50)} / ${ms(r.inference.roundTripP95)}`,
      '',
    ],
    [`12 MP JPEG → prepareImage p50 (${r.photo.runs} runs)`, ms(r.photo.p50), '≤ 500 ms'],
    ['12 MP JPEG → prepareImage max', ms(r.photo.max), ''],
    ...Object.entries(r.photo.stagesP50).map(([k, v]): [string, string, string] => [
      `  stage ${k} p50 (worker)`,
      ms(v),
      '',
    ]),
    ['  output', r.photo.output, ''],
    ['longest main-thread task (long tasks API)', longest(r.photo.longestTaskMs), '≤ 50 ms'],
    ['largest timer lateness during prepare', ms(r.photo.maxGapMs), '≤ 50 ms'],
    ['longest main-thread task during warm-up', longest(r.warm.longestTaskMs), '≤ 50 ms'],
    ['largest timer lateness during warm-up', ms(r.warm.maxGapMs), '≤ 50 ms'],
    ...uiRows(r.ui),
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  process.stdout.write('\nImage pipeline (headless Chromium, onnxruntime-web WASM, 1 thread)\n');
  for (const [a, b, c] of rows) process.stdout.write(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}\n`);
  for (const [when, list] of [
    ['warm-up', r.warm.blockers],
    ['prepare', r.photo.blockers],
    ['UI path (chosen → shown locally)', r.ui.local.blockers],
    ['UI path (chosen → row in list)', r.ui.full.blockers],
  ] as const) {
    if (list.length > 0) process.stdout.write(`long frames during ${when}: ${list.join('; ')}\n`);
  }
}
