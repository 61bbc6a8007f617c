// Summarises a V8 .cpuprofile (node --cpu-prof) into the hot spots: self time per
// function and per package, idle time excluded. Usable on its own:
//   npx tsx test/bench/cpu-profile-summary.ts <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** µs on CLOCK_MONOTONIC (the clock of process.hrtime) */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Only samples inside this CLOCK_MONOTONIC window (µs), e.g. one load profile. */
export interface ProfileWindow {
  label: string;
  startUs: number;
  endUs: number;
}

const NOT_WORK = new Set(['(idle)', '(program)', '(garbage collector)']);

function owner(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:') || url === '') return url === '' ? '(native/vm)' : 'node core';
  const m = /\/(sync-server|shared)\/(?:dist|src)\/(.*)$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : url;
}

/** Frames of the update guard (Canopy's document authority). */
const GUARD_URL = /\/relay\/authority\//;

export interface CpuProfileAnalysis {
  text: string;
  /** share of the work (GC excluded) spent with a guard frame on the stack */
  guardShare: number;
}

export function summarizeCpuProfile(file: string, top = 15, window?: ProfileWindow): string {
  return analyzeCpuProfile(file, top, window).text;
}

export function analyzeCpuProfile(
  file: string,
  top = 15,
  window?: ProfileWindow,
): CpuProfileAnalysis {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.startUs || at > window.endUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });

  // Owners (package or module) anywhere on a node's stack, for inclusive time.
  const stackOwners = new Map<number, Set<string>>();
  const ownersOf = (id: number): Set<string> => {
    const known = stackOwners.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const up = parent.get(id);
    const set = new Set(up === undefined ? [] : ownersOf(up));
    if (node.callFrame.url !== '') set.add(owner(node.callFrame.url));
    if (GUARD_URL.test(node.callFrame.url)) set.add(GUARD);
    stackOwners.set(id, set);
    return set;
  };

  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let work = 0;
  let gc = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(garbage collector)') gc += us;
    if (NOT_WORK.has(name)) continue;
    work += us;
    const key = `${name} ${owner(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const pkg = owner(node.callFrame.url);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
    for (const o of ownersOf(id)) inclusive.set(o, (inclusive.get(o) ?? 0) + us);
  }
  const pct = (us: number): string => `${((us / work) * 100).toFixed(1).padStart(5)}%`;
  const lines = [
    `CPU profile ${path.basename(file)}${window ? ` during ${window.label}` : ''}: ` +
      `${(work / 1000).toFixed(0)} ms of JS/native work, GC ${(gc / 1000).toFixed(0)} ms`,
  ];
  const list = (
    title: string,
    map: Map<string, number>,
    n: number,
    keep = (_k: string) => true,
  ): void => {
    lines.push(`  ${title}:`);
    for (const [k, us] of [...map]
      .filter(([k]) => keep(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n))
      lines.push(`   ${pct(us)}  ${k}`);
  };
  list('self time by package/module', pkgs, 12);
  list(
    'inclusive time (on the stack) by server module',
    inclusive,
    14,
    (k) => !k.includes('node core') && k !== '(native/vm)',
  );
  list('self time by function', fns, top);
  return { text: lines.join('\n'), guardShare: (inclusive.get(GUARD) ?? 0) / work };
}

const GUARD = 'sync-server/relay/authority/* (update guard, all modules)';

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [top]');
  process.stdout.write(`${summarizeCpuProfile(file, top ? Number(top) : 25)}\n`);
}
