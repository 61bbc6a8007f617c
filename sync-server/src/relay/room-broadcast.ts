// Post-commit fan-out helpers. One turn's updates of a room are merged and encoded into
// one frame, and that same Buffer goes to every peer: encoding per socket is what makes
// naive relays collapse under load.
import * as Y from 'yjs';
import { isId } from '@canopy/shared';
import type { MessageId, UserId } from '@canopy/shared';
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

export interface NewMessage {
  messageId: MessageId;
  authorId: UserId;
}

/** New message records from a messages-array event: ids only, never text. */
export function collectNewMessages(event: Y.YArrayEvent<unknown>, out: NewMessage[]): void {
  for (const delta of event.changes.delta) {
    if (!Array.isArray(delta.insert)) continue;
    for (const value of delta.insert as unknown[]) {
      if (typeof value !== 'object' || value === null) continue;
      const { id, authorId } = value as { id?: unknown; authorId?: unknown };
      if (isId(id) && isId(authorId)) {
        out.push({ messageId: id as MessageId, authorId: authorId as UserId });
      }
    }
  }
}
