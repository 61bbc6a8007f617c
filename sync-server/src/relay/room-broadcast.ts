// Post-commit fan-out helpers. One turn's updates of a room are merged and encoded into
// one frame, and that same Buffer goes to every peer: encoding per socket is what makes
// naive relays collapse under load.
import * as Y from 'yjs';
import { encodeSyncUpdate } from './protocol.js';

interface Sendable {
  send(frame: Buffer): void;
}

export function broadcastUpdates(
  peers: ReadonlySet<Sendable>,
  updates: readonly Uint8Array[],
  origins: ReadonlySet<unknown>,
): void {
  if (peers.size === 0 || updates.length === 0) return;
  const merged = updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates([...updates]);
  const frame = encodeSyncUpdate(merged);
  // When one peer wrote everything in this turn it already has it; otherwise send the
  // merged frame to everyone (re-applying one's own items is a no-op in Yjs).
  const skip = origins.size === 1 ? origins.values().next().value : undefined;
  for (const peer of peers) if (peer !== skip) peer.send(frame);
}
