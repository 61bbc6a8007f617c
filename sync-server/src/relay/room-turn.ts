// The updates a room received in one event-loop turn, applied together in one Yjs
// transaction. Yjs computes the document's state vector at the start and at the end of
// every transaction, and with a few hundred writers that costs several times more than
// integrating a one-message update: ten updates in one transaction pay it once. Each update
// is still judged and applied on its own, in arrival order, against the document with the
// turn's earlier updates in it. Anything that reads the document (another frame, a flush,
// a server write) drains the turn first, so the deferral is never visible.
import type { RoomPeer } from './room-peer.js';
import type { UpdateKind } from './update-guard.js';

export interface QueuedUpdate {
  peer: RoomPeer;
  update: Uint8Array;
  kind: UpdateKind;
}

export class UpdateTurn {
  private queue: QueuedUpdate[] = [];
  private immediate: NodeJS.Immediate | null = null;
  /** bytes queued (the document size cap counts them) */
  bytes = 0;

  constructor(private readonly apply: (queue: QueuedUpdate[]) => void) {}

  get size(): number {
    return this.queue.length;
  }

  add(entry: QueuedUpdate): void {
    this.queue.push(entry);
    this.bytes += entry.update.byteLength;
    // After the poll phase: every frame read in this turn has joined the queue by then.
    this.immediate ??= setImmediate(() => this.drain());
  }

  drain(): void {
    const queue = this.take();
    if (queue.length > 0) this.apply(queue);
  }

  clear(): void {
    this.take();
  }

  private take(): QueuedUpdate[] {
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.immediate = null;
    const queue = this.queue;
    this.queue = [];
    this.bytes = 0;
    return queue;
  }
}
