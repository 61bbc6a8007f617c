// The message API over a loaded room: build and append a record as a user (server-side
// writes with the user's own bound client id), edit one's own message, delete one's own (or
// as a moderator anyone's), and read pages of messages. Reads skip deleted messages, show
// the author's latest edit, drop `pending` from attachments whose bytes are stored, and mark
// those whose upload failed.
import {
  appendMessage,
  editRecordSchema,
  groupDoc,
  makeId,
  messageRecordSchema,
  deleteMessage,
  editMessage,
  findMessageIndex,
  withEdit,
  withUploadSettled,
} from '@canopy/shared';
import type {
  ListMessagesResponse,
  ListedMessage,
  MessageId,
  MessageRecord,
  UserId,
} from '@canopy/shared';
import type { PostMessageInput } from './relay-types.js';
import type { Room } from './room.js';
import {
  InvalidMessageError,
  MessageForbiddenError,
  MessageNotFoundError,
} from './relay-errors.js';

export function buildMessageRecord(userId: UserId, input: PostMessageInput): MessageRecord {
  const candidate: Record<string, unknown> = {
    id: makeId(),
    authorId: userId,
    createdAt: Date.now(),
    kind: input.kind ?? 'text',
  };
  if (input.text !== undefined) candidate.text = input.text;
  if (input.attachment !== undefined) candidate.attachment = input.attachment;
  if (input.replyTo !== undefined) candidate.replyTo = input.replyTo;
  const parsed = messageRecordSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new InvalidMessageError('the message does not match the message schema', {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

export function appendAs(room: Room, userId: UserId, record: MessageRecord): void {
  room.writeAs(userId, (doc) => appendMessage(doc, record));
}

/** The message and its index, found from the end (where scripts act); 404 if not there. */
function find(room: Room, messageId: MessageId): { record: MessageRecord; index: number } {
  const index = findMessageIndex(room.doc, messageId);
  const record = index < 0 ? undefined : groupDoc(room.doc).messages.get(index);
  if (!record) throw new MessageNotFoundError(messageId);
  return { record, index };
}

/**
 * Set the author's latest text of their own message (the edits map). A deleted or foreign
 * message is refused: an edit must never bring text back after a deletion.
 */
export function editAs(room: Room, userId: UserId, messageId: MessageId, text: string): void {
  if (groupDoc(room.doc).deletions.has(messageId)) throw new MessageNotFoundError(messageId);
  if (find(room, messageId).record.authorId !== userId) throw new MessageNotFoundError(messageId);
  const edit = editRecordSchema.safeParse({ text, by: userId, at: Date.now() });
  if (!edit.success) {
    throw new InvalidMessageError('the edit does not match the edit schema', { cause: edit.error });
  }
  room.writeAs(userId, (doc) => editMessage(doc, messageId, userId, edit.data.text));
}

/**
 * Delete a message as `userId` (its author, or a moderator): the shared deletion every
 * client makes (item, edit and tombstone), written with the user's server-side client id.
 */
export function deleteAs(
  room: Room,
  userId: UserId,
  messageId: MessageId,
  moderator: boolean,
): void {
  const { record, index } = find(room, messageId);
  if (record.authorId !== userId && !moderator) throw new MessageForbiddenError();
  room.writeAs(userId, (doc) => deleteMessage(doc, messageId, userId, index));
}

export function listRoomMessages(
  room: Room,
  options: { limit: number; before?: MessageId },
): ListMessagesResponse {
  const { messages, deletions, edits, uploads } = groupDoc(room.doc);
  // Read from the end by index (Yjs' search markers make each step short), never the whole
  // array: a page of the newest messages costs the same at 100k messages as at 100.
  let end = messages.length;
  if (options.before !== undefined) {
    const before = options.before;
    do end--;
    while (end >= 0 && messages.get(end)?.id !== before);
    // An unknown cursor is an error, not an empty page that would read as "no older messages".
    if (end < 0) throw new MessageNotFoundError(before);
  }
  const limit = Math.max(0, Math.floor(options.limit));
  const page: ListedMessage[] = [];
  let hasMore = false;
  for (let i = end - 1; i >= 0; i--) {
    const record = messages.get(i);
    if (!record || deletions.has(record.id)) continue;
    if (page.length === limit) {
      hasMore = true;
      break;
    }
    const upload = uploads.get(record.id);
    const listed: ListedMessage = withEdit(withUploadSettled(record, upload), edits.get(record.id));
    page.push(
      listed.attachment?.pending && upload?.state === 'failed'
        ? { ...listed, uploadFailed: true }
        : listed,
    );
  }
  page.reverse();
  return { messages: page, hasMore };
}
