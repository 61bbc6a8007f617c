// The ACK extension for one room: which peers asked (`?ack=1`), the stored state vector as
// far as it is known, and the pacing of ACK frames. Encoding a state vector walks every
// client of the doc and every ACK is one more socket write per peer, so a batch carries a
// state vector only while someone wants ACKs and the last ACK is ACK_GAP_MS old; a batch
// inside the gap is acknowledged by a timer (or by the next batch). Never claims more than
// is stored: the doc's own state vector is used only when nothing is pending or in flight.
import * as Y from 'yjs';
import { encodeAck } from './protocol.js';
import type { RoomPeer } from './room-peer.js';

/** Under load, at most one ACK per room this often (the latest stored state vector). */
const ACK_GAP_MS = 40;

export interface AckedRoom {
  readonly doc: Y.Doc;
  readonly peers: ReadonlySet<RoomPeer>;
  /** nothing applied is waiting to be stored or being stored, and the room is alive */
  readonly settledForAck: boolean;
}

export class RoomAcks {
  /** state vector of what is stored, or null when no batch computed it */
  private stored: Uint8Array | null = null;
  private wanting = 0;
  private lastAckAt = -Infinity;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly room: AckedRoom) {}

  join(peer: RoomPeer): void {
    if (peer.wantsAck) this.wanting++;
  }

  leave(peer: RoomPeer): void {
    if (peer.wantsAck) this.wanting--;
  }

  /** The state vector a batch taken now should carry (null: no ACK due). */
  batchStateVector(): Uint8Array | null {
    if (this.wanting === 0 || Date.now() - this.lastAckAt < ACK_GAP_MS) return null;
    return Y.encodeStateVector(this.room.doc);
  }

  /** A batch with `stateVector` (or none) is stored and was broadcast. */
  committed(stateVector: Uint8Array | null): void {
    this.stored = stateVector;
    if (stateVector) this.sendAll(stateVector);
    else if (this.wanting > 0) this.schedule();
  }

  /**
   * A peer's first ACK (after its first sync). When the stored state vector is unknown and
   * nothing is pending, the doc's state is the stored state; otherwise the next batch
   * carries one (this peer now counts) and its ACK reaches this peer.
   */
  sendStored(peer: RoomPeer): void {
    if (!this.stored && this.room.settledForAck) this.stored = Y.encodeStateVector(this.room.doc);
    if (this.stored) peer.send(encodeAck(this.stored));
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private sendAll(stateVector: Uint8Array): void {
    if (this.wanting === 0) return;
    this.lastAckAt = Date.now();
    const ack = encodeAck(stateVector);
    for (const peer of this.room.peers) if (peer.wantsAck) peer.send(ack);
  }

  private schedule(): void {
    if (this.timer) return;
    const delay = Math.max(0, this.lastAckAt + ACK_GAP_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      // Pending: the next batch computes its ACK; in flight: its commit sends or re-arms.
      if (!this.room.settledForAck) return;
      this.stored = Y.encodeStateVector(this.room.doc);
      this.sendAll(this.stored);
    }, delay);
    this.timer.unref();
  }
}
