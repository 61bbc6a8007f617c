// What a group's document says for the sidebar (its newest message, my unread count and
// whether an unread message mentions me) and the newest messages kept for an instant first
// paint. Read by the pool of open groups and by the catch-up worker, from the same document.
import { groupDoc, withEdit, withUploadSettled } from '@canopy/shared';
import type { GroupId, MessageRecord, UserId } from '@canopy/shared';
import * as Y from 'yjs';
import type { KvStore } from './idb-kv.js';
import type { GroupSummary } from './local-cache.js';
import { unreadOf } from './markers.js';
import type { MessageMirror } from './message-mirror.js';
import { messageGist } from '../util/format.js';

/** how many of the newest messages are kept to paint before the document has loaded */
export const TAIL_SIZE = 50;

/** The key-value store's key of a group's newest messages. */
export function tailKey(userId: UserId, groupId: GroupId): string {
  return `tail:${userId}:${groupId}`;
}

/** The key of the state vector of a group's copy as last saved (what the copy holds). */
export function stateVectorKey(userId: UserId, groupId: GroupId): string {
  return `sv:${userId}:${groupId}`;
}

/** `user.username`: what mentions of me name. */
export function summarizeGroup(
  doc: Y.Doc,
  mirror: MessageMirror,
  user: { id: UserId; username: string },
): GroupSummary {
  const newest = mirror.get(mirror.length - 1);
  const last = newest && withEdit(newest, groupDoc(doc).edits.get(newest.id));
  const unread = unreadOf(doc, mirror, user.id, user.username);
  const summary: GroupSummary = { unread: unread.count };
  if (unread.mentioned) summary.mentioned = true;
  if (last) {
    summary.lastAt = last.createdAt;
    summary.lastAuthorId = last.authorId;
    summary.lastText = messageGist(last.text, last.kind);
  }
  return summary;
}

/**
 * The newest messages as they will show. Painted before the document (and its upload
 * states) has loaded: stored attachments are settled, so they show as they will stay, and
 * edits are applied ("edited" shows once the document is loaded).
 */
export function newestTail(doc: Y.Doc, mirror: MessageMirror): MessageRecord[] {
  const tail: MessageRecord[] = [];
  const { uploads, edits } = groupDoc(doc);
  for (let i = Math.max(0, mirror.length - TAIL_SIZE); i < mirror.length; i++) {
    const rec = mirror.get(i);
    if (rec) tail.push(withEdit(withUploadSettled(rec, uploads.get(rec.id)), edits.get(rec.id)));
  }
  return tail;
}

/**
 * Saves what the device keeps beside a group's copy: its newest messages (no record for an
 * empty group, so "there is a tail" always means "rows to paint") and its state vector,
 * for the catch-up worker to ask the relay what is new since.
 */
export function saveCopyState(
  kv: KvStore,
  userId: UserId,
  groupId: GroupId,
  doc: Y.Doc,
  mirror: MessageMirror,
): void {
  const tail = newestTail(doc, mirror);
  const key = tailKey(userId, groupId);
  (tail.length > 0 ? kv.set(key, tail) : kv.delete(key)).catch(() => undefined);
  kv.set(stateVectorKey(userId, groupId), Y.encodeStateVector(doc)).catch(() => undefined);
}
