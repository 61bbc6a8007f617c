// `npm run bench:relay [-- --quick] [-- --cpu-prof] [-- --only=canopy|hocuspocus]`
// Canopy's relay against @hocuspocus/server 4.x under the same load: one group of
// 200 members with 10,000 pre-filled messages; a steady and a stress profile; latency,
// deliveries/s, server CPU per delivery, memory, cold joins; for Canopy also the stress
// profile with the update guard switched off. Servers run pinned to core 0, this
// generator to core 1 (the npm script starts it under taskset). Prints figures and
// writes them as JSON to test/bench/results/; it asserts nothing.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import type { BenchSettings, BenchTarget } from './bench-target.js';
import { coldJoinsFromDisk, loadedRun } from './bench-run.js';
import type { ColdJoin, RunPlan } from './bench-run.js';
import { createCanopyTarget } from './canopy-target.js';
import { analyzeCpuProfile } from './cpu-profile-summary.js';
import { createHocuspocusTarget } from './hocuspocus-target.js';
import { figuresTable, memoryAndJoinTable, TARGETS, verdicts, verdictTable } from './report.js';
import type { TargetResult } from './report.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick') || process.env.BENCH_QUICK === '1';
const cpuProf = args.has('--cpu-prof') || process.env.BENCH_CPU_PROF === '1';
const only =
  [...args].find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? process.env.BENCH_ONLY;

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(benchDir, '../..');
const resultsDir = path.join(benchDir, 'results');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const workDir = path.join(tmpdir(), `canopy-relay-bench-${stamp}`);

/** Canopy's relay unloads a room this long after its last socket left (RELAY_DEFAULTS). */
const CANOPY_IDLE_UNLOAD_MS = 30_000;
const STEADY = 'steady';
const STRESS = 'stress';
const plan: RunPlan = quick
  ? {
      members: 20,
      fullClients: 3,
      prefill: 1_000,
      coldJoinSamples: 1,
      // Canopy unloads an idle room after 30 s: too long for a smoke run.
      idleUnloadSamples: 0,
      profiles: [
        { name: STEADY, rate: 20, durationMs: 2_000, drainTimeoutMs: 5_000 },
        { name: STRESS, rate: 200, durationMs: 3_000, drainTimeoutMs: 5_000 },
      ],
      log,
    }
  : {
      members: 200,
      fullClients: 3,
      prefill: 10_000,
      coldJoinSamples: 3,
      idleUnloadSamples: 3,
      profiles: [
        { name: STEADY, rate: 50, durationMs: 15_000, drainTimeoutMs: 10_000 },
        { name: STRESS, rate: 1_000, durationMs: 15_000, drainTimeoutMs: 15_000 },
      ],
      log,
    };

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function benchTarget(
  target: BenchTarget,
  unloadWaitMs: number,
  variants: Array<[string, boolean]>,
  profileDir: string | undefined,
): Promise<TargetResult> {
  const result: TargetResult = {
    name: target.name,
    coldJoinFromDisk: { afterRestart: [], afterIdleUnload: [] },
    runs: [],
  };
  try {
    log(`\n== ${target.name} ==`);
    const t0 = performance.now();
    await target.prepare();
    result.prepareMs = performance.now() - t0;
    log(
      `  prepared ${plan.members} members and ${plan.prefill} messages in ${(result.prepareMs / 1000).toFixed(1)} s`,
    );
    result.coldJoinFromDisk = await coldJoinsFromDisk(target, plan, unloadWaitMs);
    const ms = (joins: ColdJoin[]): string => joins.map((c) => `${c.ms.toFixed(0)} ms`).join(', ');
    log(
      `  cold join from disk: after restart ${ms(result.coldJoinFromDisk.afterRestart)}; after idle unload ${ms(result.coldJoinFromDisk.afterIdleUnload)}`,
    );
    if (!quick) {
      // The first loaded run after the cold joins often had a much higher stress p99 than
      // the later ones, for both servers (4 full runs: 3 of Hocuspocus's first runs and 2
      // of Canopy's, against 1 in 8 and 3 in 16 later runs): it warms up, not counted.
      log(' warm-up (not counted):');
      result.warmUp = await loadedRun(target, plan, 'warm-up', { validation: true });
    }
    for (const [variant, validation] of variants) {
      log(` ${variant}:`);
      // Same profiles in the same order for every variant: the stress profile of each
      // then starts from the same document and an equally warm process.
      result.runs.push(
        await loadedRun(target, plan, variant, {
          validation,
          // Every loaded run or none: the profiler's overhead must not skew the comparison.
          ...(profileDir
            ? {
                cpuProfile: profileFile(profileDir, target.name, variant),
              }
            : {}),
        }),
      );
    }
  } catch (error) {
    result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`  FAILED: ${result.error}`);
  }
  return result;
}

function profileFile(dir: string, target: string, variant: string): string {
  return path.join(dir, `${target}-${variant.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
}

async function main(): Promise<void> {
  const settings = (name: string): BenchSettings => ({
    members: plan.members,
    prefill: plan.prefill,
    prefillChunk: 250,
    workDir: path.join(workDir, name),
    rootDir,
    serverCore: 0,
  });
  log(
    `relay benchmark${quick ? ' (quick)' : ''}: ${plan.members} members (${plan.fullClients} full Yjs clients, the rest wire-level), ${plan.prefill} pre-filled messages; data in ${workDir}`,
  );
  const profileDir = cpuProf ? path.join(resultsDir, `profiles-${stamp}`) : undefined;
  const results: TargetResult[] = [];
  if (only !== 'canopy') {
    results.push(
      await benchTarget(
        createHocuspocusTarget(settings('hocuspocus')),
        10_000,
        quick
          ? [['default', true]]
          : [
              ['default', true],
              ['default #2', true],
              ['default #3', true],
            ],
        profileDir,
      ),
    );
  }
  if (only !== 'hocuspocus') {
    results.push(
      await benchTarget(
        createCanopyTarget(settings('canopy')),
        CANOPY_IDLE_UNLOAD_MS + 15_000,
        // Alternating: the validation cost is a small difference between two noisy figures,
        // so the full run measures it twice; the p99 verdict takes the median of three runs.
        quick
          ? [
              ['validation on', true],
              ['validation off', false],
            ]
          : [
              ['validation on', true],
              ['validation off', false],
              ['validation on #2', true],
              ['validation off #2', false],
              ['validation on #3', true],
            ],
        profileDir,
      ),
    );
  }

  const canopy = results.find((r) => r.name === 'canopy');
  const hocus = results.find((r) => r.name === 'hocuspocus');
  const rows = verdicts(canopy, hocus, STRESS);
  log(
    '\nDelivery latency = from the sender handing the update to its socket until the last of the other',
  );
  log(
    `${plan.members - 1} members has it (full clients: applied to their Y.Doc; wire-level clients: the frame carrying`,
  );
  log(
    'the message id arrived), one clock in the generator process. deliv/s = member-receipts per second over',
  );
  log(
    'first send → last receipt. CPU µs/deliv = server process utime+stime (/proc) over the profile ÷ receipts.',
  );
  log(`Server on core 0, generator on core 1.\n`);
  log(figuresTable(results));
  log('');
  log(
    'Joins: wall ms from connect to "synced" (median [samples]) / server CPU ms / ms the joiner spent applying.',
  );
  log(memoryAndJoinTable(results));
  log('');
  log(verdictTable(rows));
  const contended = results
    .flatMap((r) => r.runs.flatMap((run) => run.profiles))
    .filter((p) => p.serverRunQueueWait > 0.1);
  if (contended.length > 0) {
    log(
      `\nWarning: in ${contended.length} profile(s) a server waited for a CPU more than 10% of the time (srv wait):` +
        '\nother work on the machine competed for its core, so latency figures there are inflated.',
    );
  }
  for (const r of results) if (r.error) log(`\n${r.name} failed: ${r.error.split('\n')[0]}`);

  let profileSummary: string | undefined;
  if (profileDir) {
    // Each loaded run's profile, restricted to its stress profile's time window.
    const summaries: string[] = [];
    const guardShares: number[] = [];
    for (const r of results) {
      for (const run of r.runs) {
        const file = profileFile(profileDir, r.name, run.variant);
        const stress = run.profiles.find((p) => p.profile === STRESS);
        if (!existsSync(file) || !stress) continue;
        const analysis = analyzeCpuProfile(file, 20, {
          label: `${STRESS} (${r.name} / ${run.variant})`,
          startUs: stress.monotonicStartUs,
          endUs: stress.monotonicEndUs,
        });
        summaries.push(analysis.text);
        run.guardShareOfCpu = analysis.guardShare;
        if (r.name === 'canopy' && run.validation) guardShares.push(analysis.guardShare);
      }
    }
    profileSummary = summaries.join('\n');
    log(`\n${profileSummary}\nprofiles: ${path.relative(rootDir, profileDir)}`);
    if (guardShares.length > 0) {
      // Independent of contention and of how much the server merged: the guard's own
      // share of the server's CPU while it handled the stress profile.
      const share = (guardShares.reduce((a, b) => a + b, 0) / guardShares.length) * 100;
      const row = {
        figure: `validation cost, ${STRESS}: server CPU inside the update guard (CPU profile)`,
        ours: `${share.toFixed(1)}% [${guardShares.map((g) => (g * 100).toFixed(1)).join(', ')}]`,
        theirs: '',
        ratio: `${share.toFixed(1)}%`,
        target: `≤ ${TARGETS.validationCostPct}%`,
        met: share <= TARGETS.validationCostPct,
      };
      rows.push(row);
      log(`\n${verdictTable([row])}`);
    }
  }

  mkdirSync(resultsDir, { recursive: true });
  // Formatted as the repository's prettier config would, so `format:check` passes.
  const raw = JSON.stringify({
    date: new Date().toISOString(),
    quick,
    plan: { ...plan, log: undefined },
    results,
    verdicts: rows,
    profileSummary,
  });
  const json = await prettier.format(raw, {
    ...(await prettier.resolveConfig(resultsDir)),
    parser: 'json',
  });
  const file = path.join(resultsDir, `relay-${quick ? 'quick-' : ''}${stamp}.json`);
  writeFileSync(file, json);
  writeFileSync(path.join(resultsDir, `relay-${quick ? 'quick-' : ''}latest.json`), json);
  log(`\nresults: ${path.relative(rootDir, file)}`);
}

await main();
