// The updates a room received since its last flush, applied together in one Yjs
// transaction right before the flush stores them. Yjs computes the document's state vector
// at the start and at the end of every transaction, and with a few hundred writers that
// costs several times more than integrating a one-message update: ten updates in one
// transaction pay it once. One transaction per flush also means one 'update' event, i.e.
// the bytes to store and to broadcast come out of Yjs' own encoder, with no merge (which
// would decode every record again). Each update is still judged and applied on its own, in
// arrival order, against the document with the earlier updates in it. Nothing is forwarded
// before it is stored anyway, so waiting for the flush adds no latency; whatever reads the
// document's current state (a flush, a server write) drains the queue first.
import type { RoomPeer } from './room-peer.js';
import type { UpdateKind } from './update-guard.js';

export interface QueuedUpdate {
  peer: RoomPeer;
  update: Uint8Array;
  kind: UpdateKind;
}

export class UpdateQueue {
  private queue: QueuedUpdate[] = [];
  /** bytes queued (the document size cap counts them) */
  bytes = 0;

  constructor(private readonly apply: (queue: QueuedUpdate[]) => void) {}

  get size(): number {
    return this.queue.length;
  }

  add(entry: QueuedUpdate): void {
    this.queue.push(entry);
    this.bytes += entry.update.byteLength;
  }

  drain(): void {
    const queue = this.take();
    if (queue.length > 0) this.apply(queue);
  }

  clear(): void {
    this.take();
  }

  private take(): QueuedUpdate[] {
    const queue = this.queue;
    this.queue = [];
    this.bytes = 0;
    return queue;
  }
}
