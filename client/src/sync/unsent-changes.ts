// What this device wrote into a group's document that the relay has not acknowledged as
// stored, read from the document and the delivery state. Used by the logout check (count
// it) and by the recovery from a refused change (keep it, then write it again into a copy
// fetched fresh from the server).
//
// A refusal is all or nothing: the relay refuses the whole update that carried everything
// unsent. What an honest client writes is refused only when its rights changed while it was
// offline (a moderator demoted before their deletion of another's message or their pin went
// out). So what is written again is what a member may always write: my messages, edits of
// my messages, their upload states, my reactions and deletions of my own messages. Anything
// else unsent (deletions of others' messages, pins) is dropped and counted.
import {
  appendMessage,
  deleteMessage,
  editRecordSchema,
  groupDoc,
  messageIdSchema,
  messageRecordSchema,
  parseReactionKey,
  reactionRecordSchema,
  uploadRecordSchema,
} from '@canopy/shared';
import type { MessageId, UserId } from '@canopy/shared';
import type * as Y from 'yjs';
import { z } from 'zod';
import type { DeliveryState } from './delivery-state.js';
import type { MessageMirror } from './message-mirror.js';

interface UnsentSource {
  doc: Y.Doc;
  mirror: MessageMirror;
  delivery: DeliveryState;
}

/** My messages in a group's document that the relay has not acknowledged, newest first. */
export function unsentMessageIds({ mirror, delivery }: UnsentSource, me: UserId): MessageId[] {
  const ids: MessageId[] = [];
  for (let i = mirror.length - 1; i >= 0; i--) {
    const record = mirror.get(i);
    if (record?.authorId !== me) continue;
    if (!delivery.isStored(mirror.clientAt(i), mirror.clockAt(i))) ids.push(record.id);
  }
  return ids;
}

/** Calls `fn` for every current entry of a map root that the relay has not acknowledged. */
function forEachUnsent<T>(
  map: Y.Map<T>,
  delivery: DeliveryState,
  fn: (key: string, value: T) => void,
): void {
  map._map.forEach((item, key) => {
    if (item.deleted || delivery.isStored(item.id.client, item.id.clock)) return;
    fn(key, item.content.getContent()[0] as T);
  });
}

/** My edits and deletions (their current entries) that the relay has not acknowledged. */
export function unsentChanges(source: UnsentSource, me: UserId): number {
  const { edits, deletions } = groupDoc(source.doc);
  let n = 0;
  forEachUnsent(edits, source.delivery, (_key, value) => void (value.by === me && n++));
  forEachUnsent(deletions, source.delivery, (_key, value) => void (value.by === me && n++));
  return n;
}

export const unsentCopySchema = z.strictObject({
  messages: z.array(messageRecordSchema),
  edits: z.array(z.tuple([messageIdSchema, editRecordSchema])),
  uploads: z.array(z.tuple([messageIdSchema, uploadRecordSchema])),
  reactions: z.array(z.tuple([z.string(), reactionRecordSchema])),
  /** my own messages I deleted */
  deletions: z.array(messageIdSchema),
  /** unsent changes that are not written again (they may be what was refused) */
  dropped: z.number().int().nonnegative(),
});
export type UnsentCopy = z.infer<typeof unsentCopySchema>;

/** Everything unsent of mine, as plain data (it is kept in IndexedDB until written again). */
export function takeUnsent(source: UnsentSource, me: UserId): UnsentCopy {
  const { mirror, delivery } = source;
  const doc = groupDoc(source.doc);
  const authorOf = (id: MessageId): UserId | undefined => mirror.get(mirror.indexOf(id))?.authorId;
  const copy: UnsentCopy = {
    messages: [],
    edits: [],
    uploads: [],
    reactions: [],
    deletions: [],
    dropped: 0,
  };
  for (let i = 0; i < mirror.length; i++) {
    const record = mirror.get(i);
    if (record?.authorId === me && !delivery.isStored(mirror.clientAt(i), mirror.clockAt(i)))
      copy.messages.push(record);
  }
  forEachUnsent(doc.edits, delivery, (key, value) => {
    if (value.by === me) copy.edits.push([key as MessageId, value]);
  });
  forEachUnsent(doc.uploads, delivery, (key, value) => {
    if (authorOf(key as MessageId) === me) copy.uploads.push([key as MessageId, value]);
  });
  forEachUnsent(doc.reactions, delivery, (key, value) => {
    if (parseReactionKey(key)?.userId === me) copy.reactions.push([key, value]);
  });
  forEachUnsent(doc.deletions, delivery, (key, value) => {
    if (value.by !== me) return;
    // The record of a deleted message is gone from this copy; only the fresh one knows
    // whose it was. Kept as a deletion of mine: written again only if it is mine there.
    copy.deletions.push(key as MessageId);
  });
  forEachUnsent(doc.pins, delivery, (_key, value) => void (value.by === me && copy.dropped++));
  return copy;
}

/**
 * Writes a kept copy into a group's document that holds what the server stored. Messages
 * already there are skipped, so running it twice (a reload halfway) doubles nothing; edits,
 * upload states, reactions and deletions are written only for my messages that are there.
 * Returns how many kept changes were not written.
 */
export function replayUnsent(
  doc: Y.Doc,
  mirror: MessageMirror,
  copy: UnsentCopy,
  me: UserId,
): number {
  const { edits, uploads, reactions } = groupDoc(doc);
  doc.transact(() => {
    for (const record of copy.messages) {
      if (mirror.indexOf(record.id) < 0) appendMessage(doc, { ...record });
    }
  });
  // The mirror follows the document's events, so it holds the appended messages now.
  const indexOfMine = (id: MessageId): number => {
    const index = mirror.indexOf(id);
    return index >= 0 && mirror.get(index)?.authorId === me ? index : -1;
  };
  let dropped = copy.dropped;
  const deletions: Array<[MessageId, number]> = [];
  doc.transact(() => {
    for (const [id, edit] of copy.edits) {
      if (indexOfMine(id) >= 0) edits.set(id, { ...edit });
      else dropped++;
    }
    for (const [id, upload] of copy.uploads) {
      if (indexOfMine(id) >= 0) uploads.set(id, { ...upload });
    }
    for (const [key, reaction] of copy.reactions) {
      const target = parseReactionKey(key);
      if (target && mirror.indexOf(target.messageId) >= 0) reactions.set(key, { ...reaction });
    }
    for (const id of copy.deletions) {
      const index = indexOfMine(id);
      if (index >= 0) deletions.push([id, index]);
      else if (mirror.indexOf(id) >= 0) dropped++; // another's message: maybe what was refused
    }
  });
  // Newest first, so the indexes of the others stay right.
  deletions.sort((a, b) => b[1] - a[1]);
  doc.transact(() => {
    for (const [id, index] of deletions) deleteMessage(doc, id, me, index);
  });
  return dropped;
}
