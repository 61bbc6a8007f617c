// Read and delivered markers (`readMarkers` / `deliveredMarkers`: userId → last message)
// and what follows from them: unread counts and "read by N". Each user writes only their
// own key, and only forward, so a marker never moves back.
import { authorEdit, groupDoc, markerRecordSchema, mentionedUsernames } from '@canopy/shared';
import type { MarkerRecord, UserId } from '@canopy/shared';
import type * as Y from 'yjs';
import type { MessageMirror } from './message-mirror.js';

/** Index of the message a marker points at; falls back to its time if the message is gone. */
export function markerIndex(mirror: MessageMirror, marker: MarkerRecord | undefined): number {
  if (!marker) return -1;
  const parsed = markerRecordSchema.safeParse(marker);
  if (!parsed.success) return -1;
  const i = mirror.indexOf(parsed.data.messageId);
  if (i >= 0) return i;
  let j = mirror.length - 1;
  while (j >= 0 && (mirror.get(j)?.createdAt ?? 0) > parsed.data.at) j--;
  return j;
}

function advance(
  map: Y.Map<MarkerRecord>,
  mirror: MessageMirror,
  me: UserId,
  index: number,
): boolean {
  const rec = mirror.get(index);
  if (!rec) return false;
  if (markerIndex(mirror, map.get(me)) >= index) return false;
  map.set(me, { messageId: rec.id, at: Date.now() });
  return true;
}

export function markRead(doc: Y.Doc, mirror: MessageMirror, me: UserId, index: number): boolean {
  return advance(groupDoc(doc).readMarkers, mirror, me, index);
}

export function markDelivered(doc: Y.Doc, mirror: MessageMirror, me: UserId): boolean {
  return advance(groupDoc(doc).deliveredMarkers, mirror, me, mirror.length - 1);
}

/**
 * Messages after my read marker that others wrote, and whether one of them mentions my
 * `username`. One walk, O(unread).
 */
export function unreadOf(
  doc: Y.Doc,
  mirror: MessageMirror,
  me: UserId,
  username: string,
): { count: number; mentioned: boolean } {
  const { readMarkers, edits } = groupDoc(doc);
  const from = markerIndex(mirror, readMarkers.get(me)) + 1;
  const name = username.toLowerCase();
  let count = 0;
  let mentioned = false;
  for (let i = from; i < mirror.length; i++) {
    const rec = mirror.get(i);
    if (rec?.authorId === me) continue;
    count++;
    // an edited message mentions whom its latest text names
    if (!mentioned && rec) {
      const latest = authorEdit(rec, edits.get(rec.id))?.text ?? rec.text;
      mentioned = mentionedUsernames(latest).includes(name);
    }
  }
  return { count, mentioned };
}

/** Users other than the author whose read marker is at or past `index`. */
export function readersOf(doc: Y.Doc, mirror: MessageMirror, index: number): UserId[] {
  const author = mirror.get(index)?.authorId;
  const readers: UserId[] = [];
  for (const [userId, marker] of groupDoc(doc).readMarkers) {
    if (userId === author) continue;
    if (markerIndex(mirror, marker) >= index) readers.push(userId as UserId);
  }
  return readers;
}
