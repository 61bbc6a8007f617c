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

/**
 * New message records of a transaction on the messages array: ids only, never text.
 * Walks only the structs the transaction added (between its before- and after-state), so
 * the cost follows the update, not the document (YEvent.changes walks the whole array).
 */
export function collectNewMessages(event: Y.YArrayEvent<unknown>, out: NewMessage[]): void {
  const tr = event.transaction;
  const messages = event.target;
  const clients = tr.doc.store.clients;
  for (const [client, after] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    const structs = clients.get(client);
    if (structs === undefined) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const s = structs[i] as Y.Item | Y.GC;
      if (s.id.clock >= after) break;
      if (!(s instanceof Y.Item) || s.parent !== messages || s.deleted) continue;
      if (!(s.content instanceof Y.ContentAny)) continue;
      const values = s.content.arr;
      const to = Math.min(values.length, after - s.id.clock);
      for (let k = Math.max(0, before - s.id.clock); k < to; k++) {
        const value: unknown = values[k];
        if (typeof value !== 'object' || value === null) continue;
        const { id, authorId } = value as { id?: unknown; authorId?: unknown };
        if (isId(id) && isId(authorId)) {
          out.push({ messageId: id as MessageId, authorId: authorId as UserId });
        }
      }
    }
  }
}
