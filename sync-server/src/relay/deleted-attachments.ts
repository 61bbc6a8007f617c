// Files of deleted messages. A message deletion removes the record's item; the file's
// reference (group, author, SHA-256) in the blob store should go with it, so that the file
// stops being readable and counting against the author's quota (the hourly sweep then
// deletes bytes nothing references). Found from the transaction's delete set (the cost
// follows the update), and before a reference is let go, one walk over the group's
// messages per commit checks that no other live message of that author carries the file.
import * as Y from 'yjs';
import { forEachDeletedRecord, isId } from '@canopy/shared';
import type { UserId } from '@canopy/shared';

export interface DeletedAttachment {
  sha256: string;
  authorId: UserId;
}

const SHA256 = /^[0-9a-f]{64}$/;

function attachmentOf(value: unknown): DeletedAttachment | null {
  if (typeof value !== 'object' || value === null) return null;
  const { authorId, attachment } = value as { authorId?: unknown; attachment?: unknown };
  if (!isId(authorId) || typeof attachment !== 'object' || attachment === null) return null;
  const { sha256 } = attachment as { sha256?: unknown };
  return typeof sha256 === 'string' && SHA256.test(sha256)
    ? { sha256, authorId: authorId as UserId }
    : null;
}

/** Attachments of the message records `tr` deleted from `messages`. */
export function collectDeletedAttachments(
  tr: Y.Transaction,
  messages: object,
  out: DeletedAttachment[],
): void {
  forEachDeletedRecord(tr, messages, (value) => {
    const found = attachmentOf(value);
    if (found) out.push(found);
  });
}

/** The deleted attachments that no live message of the same author still carries. */
export function unusedAttachments(
  messages: { _start: Y.Item | null },
  deleted: readonly DeletedAttachment[],
): DeletedAttachment[] {
  const key = (a: DeletedAttachment): string => `${a.authorId}/${a.sha256}`;
  const pending = new Map(deleted.map((a) => [key(a), a]));
  const wanted = new Set(deleted.map((a) => a.sha256));
  for (let item = messages._start; item !== null && pending.size > 0; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentAny)) continue;
    for (const value of item.content.arr) {
      const sha = (value as { attachment?: { sha256?: unknown } } | null)?.attachment?.sha256;
      if (typeof sha !== 'string' || !wanted.has(sha)) continue;
      const found = attachmentOf(value);
      if (found) pending.delete(key(found));
    }
  }
  return [...pending.values()];
}
