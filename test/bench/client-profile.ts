// CPU profiles of the app (CDP Profiler) for the client benchmark's "where does the time go":
// one cold open and a series of sends, self time summed by original source (the bundle's
// source map turns minified positions into files: yjs, y-indexeddb, solid-js, client/src/…).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { GroupId, MessageId } from '@canopy/shared';
import { installProbe } from './client-page.js';
import { sendOnce } from './client-send.js';

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  bySource: { name: string; ms: number }[];
  byFunction: { name: string; ms: number }[];
  /** time (self + callees) by the innermost app function (client/src, shared) on the stack */
  byAppCaller: { name: string; ms: number }[];
  /** inclusive time (self + everything it called) by function, once per sample */
  byFunctionTotal: { name: string; ms: number }[];
}

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

async function withProfiler(page: Page, run: () => Promise<void>): Promise<Profile> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await run();
    const { profile } = await cdp.send('Profiler.stop');
    return profile;
  } finally {
    await cdp.detach();
  }
}

export async function profileColdOpen(
  context: BrowserContext,
  origin: string,
  groupId: GroupId,
  newestIds: MessageId[],
  rootDir: string,
): Promise<ProfileSummary> {
  await context.setOffline(true);
  const page = await context.newPage();
  try {
    await installProbe(page, { newestIds });
    // Same-origin page first, so the navigation to the group stays in this renderer.
    await page.goto(`${origin}/`);
    await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
    const profile = await withProfiler(page, async () => {
      await page.goto(`${origin}/g/${groupId}`);
      await page.waitForFunction(
        () =>
          (globalThis as unknown as { __bench?: { docShown: number | null } }).__bench?.docShown !=
          null,
        undefined,
        { timeout: 120_000 },
      );
    });
    return summarize(profile, rootDir);
  } finally {
    await page.close();
    await context.setOffline(false);
  }
}

export async function profileSends(
  context: BrowserContext,
  origin: string,
  groupId: GroupId,
  newestIds: MessageId[],
  rootDir: string,
  count = 40,
): Promise<ProfileSummary> {
  const page = await context.newPage();
  try {
    await installProbe(page, { newestIds });
    await page.goto(`${origin}/g/${groupId}`);
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { __bench?: { docShown: number | null } }).__bench?.docShown !=
        null,
      undefined,
      { timeout: 120_000 },
    );
    await page
      .getByRole('status', { name: 'Connection: Synced' })
      .first()
      .waitFor({ timeout: 60_000 });
    const profile = await withProfiler(page, async () => {
      for (let i = 0; i < count; i++) await page.evaluate(sendOnce, { i: 10_000 + i, gapMs: 120 });
    });
    return summarize(profile, rootDir);
  } finally {
    await page.close();
  }
}

function summarize(profile: Profile, rootDir: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // A sample's time is the gap to the next sample.
    const dt = (deltas[i + 1] ?? 0) / 1000;
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + dt);
  }
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const maps = new Map<string, SourceMapLookup | null>();
  const bySource = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byAppCaller = new Map<string, number>();
  const byFunctionTotal = new Map<string, number>();
  const locate = (frame: ProfileNode['callFrame']): { source: string; fn: string } => {
    let source = frame.url ? new URL(frame.url).pathname : frame.functionName;
    let fn = frame.functionName || '(anonymous)';
    if (frame.url.includes('/assets/') && frame.url.endsWith('.js')) {
      if (!maps.has(frame.url)) maps.set(frame.url, loadMap(rootDir, frame.url));
      const found = maps.get(frame.url)?.(frame.lineNumber, frame.columnNumber);
      if (found) {
        source = found.source;
        fn = found.name ?? fn;
      }
    }
    return { source, fn };
  };
  const appCaller = (id: number): string | null => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { source, fn } = locate(byId.get(at)!.callFrame);
      if (source.includes('src/')) return `${fn} (${source.replace(/^(\.\.\/)+/, '')})`;
    }
    return null;
  };
  let total = 0;
  let idle = 0;
  for (const [id, t] of self) {
    const frame = byId.get(id)!.callFrame;
    total += t;
    if (frame.functionName === '(idle)') {
      idle += t;
      continue;
    }
    const { source, fn } = locate(frame);
    bySource.set(source, (bySource.get(source) ?? 0) + t);
    const caller = appCaller(id) ?? '(no app frame on the stack)';
    byAppCaller.set(caller, (byAppCaller.get(caller) ?? 0) + t);
    const fnKey = `${fn} (${source})`;
    byFunction.set(fnKey, (byFunction.get(fnKey) ?? 0) + t);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { source: s, fn: f } = locate(byId.get(at)!.callFrame);
      if (f !== '(root)') onStack.add(`${f} (${s})`);
    }
    for (const key of onStack) byFunctionTotal.set(key, (byFunctionTotal.get(key) ?? 0) + t);
  }
  const sorted = (m: Map<string, number>): { name: string; ms: number }[] =>
    [...m]
      .map(([name, ms]) => ({ name, ms }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 30);
  return {
    totalMs: total,
    idleMs: idle,
    bySource: sorted(bySource),
    byFunction: sorted(byFunction),
    byAppCaller: sorted(byAppCaller),
    byFunctionTotal: sorted(byFunctionTotal),
  };
}

// ---- source maps (v3, "mappings" in base64 VLQ) ----

type SourceMapLookup = (
  line: number,
  column: number,
) => { source: string; name: string | null } | null;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function loadMap(rootDir: string, url: string): SourceMapLookup | null {
  const file = path.join(rootDir, 'client/dist', new URL(url).pathname) + '.map';
  let map: { sources: string[]; names: string[]; mappings: string };
  try {
    map = JSON.parse(readFileSync(file, 'utf8')) as typeof map;
  } catch {
    return null;
  }
  // Per generated line: sorted [column, sourceIndex, nameIndex | -1].
  const lines: number[][][] = [];
  let src = 0;
  let name = 0;
  for (const lineText of map.mappings.split(';')) {
    const segs: number[][] = [];
    let col = 0;
    for (const seg of lineText.split(',')) {
      if (!seg) continue;
      const v = decodeVlq(seg);
      col += v[0]!;
      if (v.length >= 4) {
        src += v[1]!;
        // v[2], v[3]: original line and column (not needed to name the source)
        if (v.length >= 5) name += v[4]!;
        segs.push([col, src, v.length >= 5 ? name : -1]);
      }
    }
    lines.push(segs);
  }
  const clean = (s: string): string => {
    const nm = s.lastIndexOf('node_modules/');
    if (nm >= 0) {
      const rest = s.slice(nm + 'node_modules/'.length).split('/');
      return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    }
    const i = s.indexOf('client/src/');
    if (i >= 0) return s.slice(i);
    const j = s.indexOf('shared/');
    return j >= 0 ? s.slice(j) : s;
  };
  return (line, column) => {
    const segs = lines[line];
    if (!segs || segs.length === 0) return null;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid]![0]! <= column) lo = mid;
      else hi = mid - 1;
    }
    const seg = segs[lo]!;
    return {
      source: clean(map.sources[seg[1]!] ?? '?'),
      name: seg[2]! >= 0 ? (map.names[seg[2]!] ?? null) : null,
    };
  };
}

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}
