// Who has seen which benchmark message, and when, on the generator's one clock.
// A message is a sequence number `seq = member * perMember + n` (its author is derived
// from it); every member other than the author must see it once. Typed arrays and one
// bitset per receiver keep the hot path (hundreds of thousands of receipts per second)
// free of allocation. Latency of a message = last receipt among the other members − send.
import { performance } from 'node:perf_hooks';

export interface DeliveryStats {
  sent: number;
  /** messages seen by every other member */
  complete: number;
  /** member-receipts counted (one per message per receiving member) */
  deliveries: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** first send → last receipt */
  windowMs: number;
  /** p50/p99 of the last receipt among full clients only, and among light clients only */
  fullP50Ms: number;
  fullP99Ms: number;
  lightP50Ms: number;
  lightP99Ms: number;
}

export class DeliveryTracker {
  readonly members: number;
  readonly perMember: number;
  private readonly sendAt: Float64Array;
  private readonly lastSeenAt: Float64Array;
  private readonly lastSeenFull: Float64Array;
  private readonly lastSeenLight: Float64Array;
  /** members below this index are full clients */
  private readonly fullMembers: number;
  private readonly seenBy: Uint16Array;
  private readonly seenBits: Uint8Array[];
  private profileSeqs: number[] = [];
  private deliveredInProfile = 0;

  constructor(members: number, perMember: number, fullMembers = 0) {
    this.members = members;
    this.perMember = perMember;
    this.fullMembers = fullMembers;
    const space = members * perMember;
    this.lastSeenFull = new Float64Array(space);
    this.lastSeenLight = new Float64Array(space);
    this.sendAt = new Float64Array(space);
    this.lastSeenAt = new Float64Array(space);
    this.seenBy = new Uint16Array(space);
    this.seenBits = Array.from({ length: members }, () => new Uint8Array(Math.ceil(space / 8)));
  }

  seq(member: number, n: number): number {
    if (n >= this.perMember) throw new Error(`member ${member} ran out of messages (${n})`);
    return member * this.perMember + n;
  }

  author(seq: number): number {
    return Math.floor(seq / this.perMember);
  }

  /** Start counting a new profile: later stats() cover only messages sent from now on. */
  beginProfile(): void {
    this.profileSeqs = [];
    this.deliveredInProfile = 0;
  }

  sent(seq: number, at = performance.now()): void {
    this.sendAt[seq] = at;
    this.profileSeqs.push(seq);
  }

  /** A member saw message `seq` (duplicates and the author's own echo are ignored). */
  seen(receiver: number, seq: number, at: number): void {
    if (seq < 0 || seq >= this.sendAt.length || this.sendAt[seq] === 0) return;
    if (this.author(seq) === receiver) return;
    const bits = this.seenBits[receiver]!;
    const byte = seq >> 3;
    const mask = 1 << (seq & 7);
    if ((bits[byte]! & mask) !== 0) return;
    bits[byte] = bits[byte]! | mask;
    this.seenBy[seq] = this.seenBy[seq]! + 1;
    if (at > this.lastSeenAt[seq]!) this.lastSeenAt[seq] = at;
    const split = receiver < this.fullMembers ? this.lastSeenFull : this.lastSeenLight;
    if (at > split[seq]!) split[seq] = at;
    this.deliveredInProfile++;
  }

  /** Messages of the current profile not yet seen by every other member. */
  pending(): number {
    const need = this.members - 1;
    let pending = 0;
    for (const seq of this.profileSeqs) if (this.seenBy[seq]! < need) pending++;
    return pending;
  }

  stats(): DeliveryStats {
    const need = this.members - 1;
    const latencies: number[] = [];
    const full: number[] = [];
    const light: number[] = [];
    let first = Infinity;
    let last = 0;
    for (const seq of this.profileSeqs) {
      first = Math.min(first, this.sendAt[seq]!);
      if (this.seenBy[seq]! < need) continue;
      latencies.push(this.lastSeenAt[seq]! - this.sendAt[seq]!);
      full.push(this.lastSeenFull[seq]! - this.sendAt[seq]!);
      light.push(this.lastSeenLight[seq]! - this.sendAt[seq]!);
      last = Math.max(last, this.lastSeenAt[seq]!);
    }
    for (const list of [latencies, full, light]) list.sort((a, b) => a - b);
    return {
      sent: this.profileSeqs.length,
      complete: latencies.length,
      deliveries: this.deliveredInProfile,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      p99Ms: percentile(latencies, 0.99),
      maxMs: latencies.length > 0 ? latencies[latencies.length - 1]! : NaN,
      windowMs: last > first ? last - first : NaN,
      fullP50Ms: percentile(full, 0.5),
      fullP99Ms: percentile(full, 0.99),
      lightP50Ms: percentile(light, 0.5),
      lightP99Ms: percentile(light, 0.99),
    };
  }
}

/** Nearest-rank percentile of sorted values (NaN when empty). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
