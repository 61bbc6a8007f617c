// One target through the benchmark: cold joins from disk (fresh server processes on the
// pre-filled data), then a loaded run: every member connected, cold joins while loaded,
// the load profiles, memory. Members 0..fullClients-1 are full Yjs clients (they measure
// what a real client sees); the rest are light wire-level clients.
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import type { UserId } from '@canopy/shared';
import type { BenchTarget, StartOptions, TargetSession } from './bench-target.js';
import { boundedAll, UNLOADED_LINE } from './bench-target.js';
import { DeliveryTracker } from './delivery-tracker.js';
import { connectFullClient } from './full-client.js';
import type { FullClient } from './full-client.js';
import { LightClient } from './light-client.js';
import { runProfile } from './load-profile.js';
import type { ProfileResult, ProfileSpec } from './load-profile.js';
import {
  benchRecord,
  makeClientIds,
  makeHistoryStandIn,
  makeMemberUpdates,
  makePrefillUpdates,
} from './update-factory.js';

export interface RunPlan {
  members: number;
  fullClients: number;
  prefill: number;
  profiles: ProfileSpec[];
  coldJoinSamples: number;
  idleUnloadSamples: number;
  log: (line: string) => void;
}

export interface ColdJoin {
  ms: number;
  /** messages in the joiner's document when the provider said "synced" */
  messagesAtSync: number;
  /** server CPU time spent meanwhile (robust to contention, unlike the wall time) */
  serverCpuMs: number;
  /** of `ms`, the time the joiner spent applying what it received (client side) */
  clientApplyMs: number;
}

export interface RunResult {
  variant: string;
  /** Canopy's RELAY_VALIDATION for this run (Hocuspocus: true, it has nothing to switch) */
  validation: boolean;
  connectMs: number;
  rssAfterConnectMb: number;
  peakRssMb: number;
  coldJoinLoaded: ColdJoin[];
  profiles: ProfileResult[];
  /** with --cpu-prof: share of the server's CPU during stress spent inside the update guard */
  guardShareOfCpu?: number;
  /** light clients the server closed during the run, by close code */
  closedByServer: Record<string, number>;
}

let warmUpUpdates: Uint8Array[] | null = null;

/**
 * The joiner is a client in this process, and its share of a join (decoding and applying
 * 10,000 messages) depends on the state of this process: after the ~30 s a Canopy room
 * takes to unload, V8 has shrunk this idle process's heap and the apply takes 2-4× longer
 * than in a busy one (Hocuspocus unloads at once, so its joiners never met that). Before
 * every join, for both servers, this process applies a history of the same size once, so
 * each join is measured with the client in the same, warmed-up state.
 */
function warmUpJoiner(prefill: number): void {
  warmUpUpdates ??= makePrefillUpdates(prefill, 'warm-up' as UserId, 250);
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const update of warmUpUpdates!) Y.applyUpdate(doc, update);
  });
  doc.destroy();
}

/** Time from creating a fresh full client to its provider's first "synced". */
export async function coldJoin(
  s: TargetSession,
  member: number,
  prefill: number,
): Promise<ColdJoin> {
  warmUpJoiner(prefill);
  const cpu0 = s.server.cpuMs();
  const t0 = performance.now();
  const client = connectFullClient(s.full(member), member, null);
  let applyStart = 0;
  let clientApplyMs = 0;
  client.doc.on('beforeTransaction', () => (applyStart = performance.now()));
  client.doc.on('afterTransaction', () => (clientApplyMs += performance.now() - applyStart));
  try {
    await client.synced;
    const ms = performance.now() - t0;
    return {
      ms,
      messagesAtSync: client.messageCount(),
      serverCpuMs: s.server.cpuMs() - cpu0,
      clientApplyMs,
    };
  } finally {
    client.destroy();
  }
}

export interface DiskJoins {
  /** first join after a server start: the room is on disk and the process is fresh */
  afterRestart: ColdJoin[];
  /** join after the room was unloaded for being idle, in a warmed-up process */
  afterIdleUnload: ColdJoin[];
}

/**
 * Cold joins of the unloaded history. Each sample starts a server process on the same
 * data and joins once; the last start then also waits for the idle unload (the server's
 * own log line) after each join and joins again, `idleUnloadSamples` times.
 */
export async function coldJoinsFromDisk(
  target: BenchTarget,
  plan: RunPlan,
  unloadWaitMs: number,
): Promise<DiskJoins> {
  const out: DiskJoins = { afterRestart: [], afterIdleUnload: [] };
  for (let i = 0; i < plan.coldJoinSamples; i++) {
    const last = i === plan.coldJoinSamples - 1;
    const s = await target.start({ keepData: i > 0, logUnloads: last });
    try {
      let unloaded = s.server.waitForLine(UNLOADED_LINE, unloadWaitMs);
      out.afterRestart.push(await coldJoin(s, plan.fullClients, plan.prefill));
      for (let j = 0; last && j < plan.idleUnloadSamples; j++) {
        await unloaded;
        unloaded = s.server.waitForLine(UNLOADED_LINE, unloadWaitMs);
        out.afterIdleUnload.push(await coldJoin(s, plan.fullClients, plan.prefill));
      }
      unloaded.catch(() => {}); // not awaited: the process stops next
    } finally {
      await s.server.stop();
    }
  }
  return out;
}

export async function loadedRun(
  target: BenchTarget,
  plan: RunPlan,
  variant: string,
  start: StartOptions,
): Promise<RunResult> {
  const totals = plan.profiles.map(
    (p) => Math.ceil((p.rate * p.durationMs) / 1000 / plan.members) + 2,
  );
  const perMember = totals.reduce((a, b) => a + b, 0);
  const tracker = new DeliveryTracker(plan.members, perMember, plan.fullClients);

  // Pre-generate every light member's updates before the server starts.
  const standIn = makeHistoryStandIn(plan.prefill);
  const stateVector = Y.encodeStateVector(withUpdate(standIn));
  const clientIds = makeClientIds(plan.members);
  const frames: Uint8Array[][] = [];
  const s0 = await target.start(start);
  const wire = s0.light(plan.members - 1).wire;
  for (let m = plan.fullClients; m < plan.members; m++) {
    const records = Array.from({ length: perMember }, (_, n) =>
      benchRecord(tracker.seq(m, n), target.authorId(m)),
    );
    frames[m] = makeMemberUpdates(standIn, clientIds[m]!, records).map((u) => wire.updateFrame(u));
  }

  const s = s0;
  const fulls: FullClient[] = [];
  let lights: LightClient[] = [];
  try {
    const t0 = performance.now();
    for (let m = 0; m < plan.fullClients; m++) fulls.push(connectFullClient(s.full(m), m, tracker));
    await Promise.all(fulls.map((f) => f.synced));
    const lightMembers = [...Array(plan.members).keys()].slice(plan.fullClients);
    lights = await boundedAll(lightMembers, 16, (m) =>
      LightClient.connect({ ...s.light(m), stateVector, member: m, tracker }),
    );
    const connectMs = performance.now() - t0;
    plan.log(`  ${plan.members} members connected in ${connectMs.toFixed(0)} ms`);
    const rssAfterConnectMb = s.server.memory().rssBytes / 2 ** 20;

    const coldJoinLoaded: ColdJoin[] = [];
    for (let i = 0; i < plan.coldJoinSamples; i++)
      coldJoinLoaded.push(await coldJoin(s, plan.members - 1, plan.prefill));

    const sentPerMember = new Array<number>(plan.members).fill(0);
    const send = (member: number, seq: number): void => {
      if (member < plan.fullClients) fulls[member]!.send(benchRecord(seq, target.authorId(member)));
      else lights[member - plan.fullClients]!.send(frames[member]![sentPerMember[member]! - 1]!);
    };
    const profiles: ProfileResult[] = [];
    for (const spec of plan.profiles) {
      plan.log(`  ${spec.name}: ${spec.rate} msgs/s for ${spec.durationMs / 1000} s`);
      const result = await runProfile({
        spec,
        tracker,
        server: s.server,
        send,
        sentPerMember,
        framesReceived: () => lights.reduce((sum, l) => sum + l.framesReceived, 0),
        frameCounters: lights.length,
      });
      plan.log(
        `    p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms ` +
          `(full clients ${result.fullP50Ms.toFixed(1)}/${result.fullP99Ms.toFixed(1)}, ` +
          `wire-level ${result.lightP50Ms.toFixed(1)}/${result.lightP99Ms.toFixed(1)}), ` +
          `${result.complete}/${result.sent} complete, server CPU ${(result.serverCpuLoad * 100).toFixed(0)}%, ` +
          `generator CPU ${(result.generatorCpuLoad * 100).toFixed(0)}%, ` +
          `${result.framesPerMemberPerSecond.toFixed(0)} frames/s per member, ` +
          `waiting for a CPU: server ${(result.serverRunQueueWait * 100).toFixed(0)}%, generator ${(result.generatorRunQueueWait * 100).toFixed(0)}%, ` +
          `generator event-loop delay p99/max ${result.generatorLoopDelayP99Ms.toFixed(1)}/${result.generatorLoopDelayMaxMs.toFixed(1)} ms`,
      );
      profiles.push(result);
    }

    const closedByServer: Record<string, number> = {};
    for (const l of lights) {
      if (l.closeCode !== null)
        closedByServer[l.closeCode] = (closedByServer[l.closeCode] ?? 0) + 1;
    }
    return {
      variant,
      validation: start.validation !== false,
      connectMs,
      rssAfterConnectMb,
      peakRssMb: s.server.memory().peakRssBytes / 2 ** 20,
      coldJoinLoaded,
      profiles,
      closedByServer,
    };
  } finally {
    for (const l of lights) l.close();
    for (const f of fulls) f.destroy();
    const code = await s.server.stop();
    if (code !== 0) plan.log(`  ${target.name} exited with ${code ?? 'a signal'} after SIGTERM`);
  }
}

function withUpdate(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}
