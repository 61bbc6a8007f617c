// Post-commit fan-out helpers. One turn's updates of a room are merged and encoded into
// one frame, and that same Buffer goes to every peer: encoding per socket is what makes
// naive relays collapse under load.
import * as Y from 'yjs';
import { isId } from '@canopy/shared';
import type { MessageId, UserId } from '@canopy/shared';
import { encodeSyncUpdate } from './protocol.js';
import { forEachAddedItem } from './added-items.js';

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
  /** the message's author; for a change, who made it */
  authorId: UserId;
  /** set when an existing message was edited or deleted rather than added */
  change?: MessageChange;
}

export type MessageChange = 'edit' | 'delete';

/**
 * Messages an `edits` or `deletions` transaction changed (ids and writers only, never
 * text). A removed entry (an edit dropped along with its message) is no change to announce.
 */
export function collectChangedMessages(
  event: Y.YMapEvent<unknown>,
  change: MessageChange,
  out: NewMessage[],
): void {
  for (const key of event.keysChanged as Set<string>) {
    const value: unknown = event.target.get(key);
    if (typeof value !== 'object' || value === null) continue;
    const { by } = value as { by?: unknown };
    if (isId(key) && isId(by)) {
      out.push({ messageId: key as MessageId, authorId: by as UserId, change });
    }
  }
}

/**
 * New message records of a transaction on the messages array: ids only, never text.
 * Visits only the items the transaction added (see added-items.ts).
 */
export function collectNewMessages(event: Y.YArrayEvent<unknown>, out: NewMessage[]): void {
  forEachAddedItem(event.transaction, event.target, (item, from, to) => {
    if (item.deleted || !(item.content instanceof Y.ContentAny)) return;
    const values = item.content.arr;
    for (let k = from; k < to && k < values.length; k++) {
      const value: unknown = values[k];
      if (typeof value !== 'object' || value === null) continue;
      const { id, authorId } = value as { id?: unknown; authorId?: unknown };
      if (isId(id) && isId(authorId)) {
        out.push({ messageId: id as MessageId, authorId: authorId as UserId });
      }
    }
  });
}
