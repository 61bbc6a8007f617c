// What a room's commits announce besides the update itself: new messages and edits or
// deletions of messages (activity events), and the files of deleted messages (released
// after the commit). Collected by the doc's observers into the room's pending writes; the
// observers run inside Yjs transactions, so they log instead of throwing.
import * as Y from 'yjs';
import { DocRoot, findMessageIndex, groupDoc, isId, mentionedUsernames } from '@canopy/shared';
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
  /**
   * usernames a new message mentions, or that an edit mentions and the version before did
   * not (lower case; the names only, never the text)
   */
  mentions?: string[];
}

export type MessageChange = 'edit' | 'delete';

/**
 * Messages an `edits` or `deletions` transaction changed (ids and writers only, never
 * text). A removed entry (an edit dropped along with its message) is no change to announce.
 * An edit names the people it mentions that the version before it did not: they are
 * mentioned now, and told so once.
 */
export function collectChangedMessages(
  event: Y.YMapEvent<unknown>,
  change: MessageChange,
  out: NewMessage[],
): void {
  for (const key of event.keysChanged as Set<string>) {
    const value: unknown = event.target.get(key);
    if (typeof value !== 'object' || value === null) continue;
    const { by, text } = value as { by?: unknown; text?: unknown };
    if (!isId(key) || !isId(by)) continue;
    const found: NewMessage = { messageId: key as MessageId, authorId: by as UserId, change };
    const named = change === 'edit' && typeof text === 'string' ? mentionedUsernames(text) : [];
    if (named.length > 0) {
      const before = new Set(mentionedUsernames(textBefore(event, key)));
      const added = named.filter((name) => !before.has(name));
      if (added.length > 0) found.mentions = added;
    }
    out.push(found);
  }
}

/**
 * The text of message `key` before this edit: the edit it replaced, or the message itself.
 * Only asked for an edit that mentions someone.
 */
function textBefore(event: Y.YMapEvent<unknown>, key: string): string | undefined {
  const previous: unknown = event.changes.keys.get(key)?.oldValue;
  if (typeof previous === 'object' && previous !== null) {
    const { text } = previous as { text?: unknown };
    return typeof text === 'string' ? text : undefined;
  }
  const doc = event.target.doc;
  if (!doc) return undefined;
  // Edits are mostly of recent messages: the search starts from the newest.
  const index = findMessageIndex(doc, key as MessageId);
  return index < 0 ? undefined : groupDoc(doc).messages.get(index)?.text;
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
