// Summarises a V8 .cpuprofile (node --cpu-prof) into the hot spots: self time per
// function and per package, idle time excluded. Usable on its own:
//   npx tsx test/bench/cpu-profile-summary.ts <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
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

export function summarizeCpuProfile(file: string, top = 15, window?: ProfileWindow): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.startUs || at > window.endUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });

  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
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
  }
  const pct = (us: number): string => `${((us / work) * 100).toFixed(1).padStart(5)}%`;
  const lines = [
    `CPU profile ${path.basename(file)}${window ? ` during ${window.label}` : ''}: ` +
      `${(work / 1000).toFixed(0)} ms of JS/native work, GC ${(gc / 1000).toFixed(0)} ms`,
  ];
  lines.push('  self time by package/module:');
  for (const [k, us] of [...pkgs].sort((a, b) => b[1] - a[1]).slice(0, 12))
    lines.push(`   ${pct(us)}  ${k}`);
  lines.push('  self time by function:');
  for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`   ${pct(us)}  ${k}`);
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [top]');
  process.stdout.write(`${summarizeCpuProfile(file, top ? Number(top) : 25)}\n`);
}
