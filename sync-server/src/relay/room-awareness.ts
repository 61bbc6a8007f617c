// A room's awareness (presence, typing), as y-websocket's server keeps it: states are
// applied by y-protocols, every change is encoded once and sent to every peer, and the
// ids a peer introduced are removed when it leaves. The guard's verdict comes first
// (room.ts); this module never decides who may say what.
import type * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { encodeAwareness } from './protocol.js';
import type { RoomPeer } from './room-peer.js';

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

export class RoomAwareness {
  readonly awareness: awarenessProtocol.Awareness;

  constructor(
    doc: Y.Doc,
    private readonly peers: ReadonlySet<RoomPeer>,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null); // the server itself has no presence
    this.awareness.on('update', this.onUpdate);
  }

  /** Every known state (the greeting and the answer to query-awareness). */
  statesFrame(): Buffer {
    const ids = Array.from(this.awareness.getStates().keys());
    return encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
  }

  get size(): number {
    return this.awareness.getStates().size;
  }

  /** Apply an (already judged) update; throws on malformed input. */
  apply(peer: RoomPeer, update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer);
  }

  removePeer(peer: RoomPeer): void {
    if (peer.awarenessIds.size === 0) return;
    awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
  }

  destroy(): void {
    this.awareness.off('update', this.onUpdate);
    this.awareness.destroy();
  }

  private readonly onUpdate = (change: AwarenessChange, origin: unknown): void => {
    const peer = origin as RoomPeer;
    if (this.peers.has(peer)) {
      for (const id of change.added) peer.awarenessIds.add(id);
      for (const id of change.removed) peer.awarenessIds.delete(id);
    }
    const changed = change.added.concat(change.updated, change.removed);
    if (changed.length === 0 || this.peers.size === 0) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    const frame = encodeAwareness(update);
    for (const p of this.peers) p.send(frame);
  };
}
