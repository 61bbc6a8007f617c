// What a room's commits announce besides the update itself: new messages and edits or
// deletions of messages (activity events), and the files of deleted messages (released
// after the commit). Collected by the doc's observers into the room's pending writes; the
// observers run inside Yjs transactions, so they log instead of throwing.
import * as Y from 'yjs';
import { DocRoot, isId, mentionedUsernames } from '@canopy/shared';
import type { GroupId, MessageId, UserId } from '@canopy/shared';
import type { Logger } from '../log.js';
import { collectDeletedAttachments } from './deleted-attachments.js';
import { forEachAddedItem } from './added-items.js';
import type { PendingWrites } from './room-batch.js';

/** Starts collecting into `pending()` (read at each event: the room swaps it per flush). */
export function watchMessageEvents(
  doc: Y.Doc,
  pending: () => PendingWrites,
  log: Logger,
  groupId: GroupId,
): void {
  const guarded = (what: string, collect: () => void): void => {
    try {
      collect();
    } catch (err) {
      log.error({ err, groupId }, `could not read ${what}`);
    }
  };
  doc.getArray(DocRoot.messages).observe((event: Y.YArrayEvent<unknown>) =>
    guarded('new or deleted messages', () => {
      collectNewMessages(event, pending().messages);
      collectDeletedAttachments(event.transaction, event.target, pending().deletedAttachments);
    }),
  );
  const changes = (change: MessageChange) => (event: Y.YMapEvent<unknown>) =>
    guarded('changed messages', () => collectChangedMessages(event, change, pending().messages));
  doc.getMap(DocRoot.edits).observe(changes('edit'));
  doc.getMap(DocRoot.deletions).observe(changes('delete'));
}

export interface NewMessage {
  messageId: MessageId;
  /** the message's author; for a change, who made it */
  authorId: UserId;
  /** set when an existing message was edited or deleted rather than added */
  change?: MessageChange;
  /** usernames a new message mentions (lower case; the names only, never the text) */
  mentions?: string[];
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
 * New message records of a transaction on the messages array: ids and mentioned names,
 * never text. Visits only the items the transaction added (see added-items.ts).
 */
export function collectNewMessages(event: Y.YArrayEvent<unknown>, out: NewMessage[]): void {
  forEachAddedItem(event.transaction, event.target, (item, from, to) => {
    if (item.deleted || !(item.content instanceof Y.ContentAny)) return;
    const values = item.content.arr;
    for (let k = from; k < to && k < values.length; k++) {
      const value: unknown = values[k];
      if (typeof value !== 'object' || value === null) continue;
      const { id, authorId, text } = value as { id?: unknown; authorId?: unknown; text?: unknown };
      if (isId(id) && isId(authorId)) {
        const found: NewMessage = { messageId: id as MessageId, authorId: authorId as UserId };
        const mentions = typeof text === 'string' ? mentionedUsernames(text) : [];
        if (mentions.length > 0) found.mentions = mentions;
        out.push(found);
      }
    }
  });
}
