// What members do to messages after sending them, written the way the relay's authority
// accepts (see document.ts for the shape): an edit is the author's latest text under the
// message id in `edits`; a deletion removes the message's array item (so its text is gone
// from the document), writes a tombstone and drops the edit; a reaction is a key of its
// own in `reactions`; a pin is the moderator's record under the message id in `pins`.
// Readers show the author's latest edit and skip tombstoned messages.
import type * as Y from 'yjs';
import type { MessageId, UserId } from '../model/ids.js';
import { groupDoc, reactionKey } from './document.js';
import type { EditRecord, MessageRecord, PinRecord } from './document.js';

/** The quick reactions every client offers (any emoji up to MAX_EMOJI_LENGTH is valid). */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🎉'] as const;

/** The edit readers show: the author's own latest one (anyone else's never counts). */
export function authorEdit(record: MessageRecord, edit: EditRecord | undefined): EditRecord | null {
  return edit !== undefined && edit.by === record.authorId ? edit : null;
}

/** The record as it reads now: its text replaced by the author's latest edit, if any. */
export function withEdit(record: MessageRecord, edit: EditRecord | undefined): MessageRecord {
  const latest = authorEdit(record, edit);
  return latest === null || latest.text === record.text ? record : { ...record, text: latest.text };
}

/**
 * Index of a message in the `messages` array, searching from `hint` (a view's index of it,
 * usually right) and then from the newest; -1 when it is not there.
 */
export function findMessageIndex(doc: Y.Doc, messageId: MessageId, hint = -1): number {
  const { messages } = groupDoc(doc);
  if (hint >= 0 && hint < messages.length && messages.get(hint)?.id === messageId) return hint;
  for (let i = messages.length - 1; i >= 0; i--) if (messages.get(i)?.id === messageId) return i;
  return -1;
}

/** Set the author's new text of their message. */
export function editMessage(doc: Y.Doc, messageId: MessageId, by: UserId, text: string): void {
  groupDoc(doc).edits.set(messageId, { text, by, at: Date.now() });
}

/**
 * Delete a message (the author's own, or anyone's by a moderator): its item, its edit and
 * a tombstone, in one transaction. False when the message is not in the document.
 */
export function deleteMessage(doc: Y.Doc, messageId: MessageId, by: UserId, hint = -1): boolean {
  const index = findMessageIndex(doc, messageId, hint);
  if (index < 0) return false;
  const { messages, edits, deletions } = groupDoc(doc);
  doc.transact(() => {
    messages.delete(index, 1);
    if (edits.has(messageId)) edits.delete(messageId);
    deletions.set(messageId, { by, at: Date.now() });
  });
  return true;
}

/** Add my reaction, or take it back if it is there. Returns whether it is there now. */
export function toggleReaction(
  doc: Y.Doc,
  messageId: MessageId,
  userId: UserId,
  emoji: string,
): boolean {
  const { reactions } = groupDoc(doc);
  const key = reactionKey(messageId, userId, emoji);
  if (reactions.has(key)) {
    reactions.delete(key);
    return false;
  }
  reactions.set(key, { at: Date.now() });
  return true;
}

/**
 * Pin a message, or unpin it if it is pinned (group owners and admins; the relay checks).
 * Returns whether it is pinned now.
 */
export function togglePin(doc: Y.Doc, messageId: MessageId, by: UserId): boolean {
  const { pins } = groupDoc(doc);
  if (pins.has(messageId)) {
    pins.delete(messageId);
    return false;
  }
  pins.set(messageId, { by, at: Date.now() });
  return true;
}

/** A pin: which message, who pinned it and when. */
export interface PinnedMessage extends PinRecord {
  messageId: MessageId;
}

/** The document's pins, the latest first. */
export function pinsOf(doc: Y.Doc): PinnedMessage[] {
  const list: PinnedMessage[] = [];
  groupDoc(doc).pins.forEach((pin, messageId) =>
    list.push({ ...pin, messageId: messageId as MessageId }),
  );
  return list.sort((a, b) => b.at - a.at);
}
