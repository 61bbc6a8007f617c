// One load profile: an open-loop schedule of `rate` messages per second in total,
// spread round-robin (in a shuffled order) over every member, for `durationMs`; then a
// bounded drain until every message has reached every other member. Reports latency,
// deliveries/s, server CPU per delivery and how busy both processes were.
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeliveryStats, DeliveryTracker } from './delivery-tracker.js';
import { readRunQueueWaitMs } from './server-process.js';
import type { ServerProcess } from './server-process.js';

export interface ProfileSpec {
  name: string;
  /** messages per second, all members together */
  rate: number;
  durationMs: number;
  drainTimeoutMs: number;
}

export interface ProfileResult extends DeliveryStats {
  profile: string;
  rate: number;
  durationMs: number;
  /** messages that had not reached every member when the drain timed out */
  undelivered: number;
  deliveriesPerSecond: number;
  serverCpuMs: number;
  serverCpuUsPerDelivery: number;
  /** server CPU time / wall time over the profile (1 = one core saturated) */
  serverCpuLoad: number;
  /** generator CPU time / wall time (near 1: the generator, not the server, may be the limit) */
  generatorCpuLoad: number;
  serverRssMb: number;
  /**
   * Share of the profile's wall time the server's / generator's main thread was runnable
   * but waited for a CPU: other work on the machine competed (figures less trustworthy).
   */
  serverRunQueueWait: number;
  generatorRunQueueWait: number;
  /**
   * frames per second each wire-level member received: low when the server merges many
   * updates per broadcast, which also makes each delivery cheaper (fewer socket writes)
   */
  framesPerMemberPerSecond: number;
  /** the profile's time window on CLOCK_MONOTONIC in µs (V8 CPU profiles use the same clock) */
  monotonicStartUs: number;
  monotonicEndUs: number;
  /** largest lag of the send schedule behind real time (generator stalls) */
  maxScheduleLagMs: number;
  /**
   * the generator's event-loop delay over the profile (p99 / max, ms): a stall here delays
   * the receipts it records, so a high latency with a high max here is partly the generator's
   */
  generatorLoopDelayP99Ms: number;
  generatorLoopDelayMaxMs: number;
  /** 1-minute load average of the machine at the end (2 cores: above ~2, other work competed) */
  loadAverage: number;
}

export interface ProfileRun {
  spec: ProfileSpec;
  tracker: DeliveryTracker;
  server: ServerProcess;
  /** send the next message of `member`; `seq` is already registered as sent */
  send(member: number, seq: number): void;
  /** per member: how many messages it has sent so far (advanced by the runner) */
  sentPerMember: number[];
  /** frames received so far by the wire-level clients, and how many of them there are */
  framesReceived(): number;
  frameCounters: number;
}

const TICK_MS = 1;

export async function runProfile(run: ProfileRun): Promise<ProfileResult> {
  const { spec, tracker, server } = run;
  const total = Math.round((spec.rate * spec.durationMs) / 1000);
  const order = shuffle([...Array(tracker.members).keys()]);
  tracker.beginProfile();

  const cpu0 = server.cpuMs();
  const gen0 = process.cpuUsage();
  const wait0 = server.runQueueWaitMs();
  const frames0 = run.framesReceived();
  const genWait0 = readRunQueueWaitMs('self');
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const mono0 = monotonicUs();
  const t0 = performance.now();
  let sent = 0;
  let next = 0;
  let maxLag = 0;
  while (sent < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - t0) * spec.rate) / 1000));
    if (due - sent > 1) maxLag = Math.max(maxLag, ((due - sent - 1) * 1000) / spec.rate);
    for (; sent < due; sent++) {
      const member = order[next]!;
      next = (next + 1) % order.length;
      const seq = tracker.seq(member, run.sentPerMember[member]!);
      run.sentPerMember[member]!++;
      tracker.sent(seq);
      run.send(member, seq);
    }
    await sleep(TICK_MS);
  }

  const drainDeadline = performance.now() + spec.drainTimeoutMs;
  while (tracker.pending() > 0 && performance.now() < drainDeadline) await sleep(20);
  const t1 = performance.now();
  const cpu1 = server.cpuMs();
  const gen1 = process.cpuUsage(gen0);
  const wait1 = server.runQueueWaitMs();
  const genWait1 = readRunQueueWaitMs('self');
  loopDelay.disable();

  const stats = tracker.stats();
  const wallMs = t1 - t0;
  const serverCpuMs = cpu1 - cpu0;
  return {
    profile: spec.name,
    rate: spec.rate,
    durationMs: spec.durationMs,
    ...stats,
    undelivered: stats.sent - stats.complete,
    deliveriesPerSecond:
      (stats.deliveries * 1000) / (Number.isNaN(stats.windowMs) ? wallMs : stats.windowMs),
    serverCpuMs,
    serverCpuUsPerDelivery: stats.deliveries > 0 ? (serverCpuMs * 1000) / stats.deliveries : NaN,
    serverCpuLoad: serverCpuMs / wallMs,
    generatorCpuLoad: (gen1.user + gen1.system) / 1000 / wallMs,
    serverRssMb: server.memory().rssBytes / 2 ** 20,
    serverRunQueueWait: (wait1 - wait0) / wallMs,
    framesPerMemberPerSecond:
      ((run.framesReceived() - frames0) * 1000) / wallMs / Math.max(1, run.frameCounters),
    generatorRunQueueWait: (genWait1 - genWait0) / wallMs,
    monotonicStartUs: mono0,
    monotonicEndUs: monotonicUs(),
    maxScheduleLagMs: maxLag,
    generatorLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    generatorLoopDelayMaxMs: loopDelay.max / 1e6,
    loadAverage: loadavg()[0]!,
  };
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
