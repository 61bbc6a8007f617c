// The group document: one Yjs document per group, the contract between every client,
// the relay and the HTTP message API. Both sides validate records against these schemas.
//
// Shape (root types, by name):
//   messages          Y.Array<MessageRecord>  immutable plain objects, appended with
//                     insert(length, …) (push walks the list). Deleting a message deletes
//                     its array item (so its text is really gone) and writes a tombstone.
//   edits             Y.Map<EditRecord>       messageId → latest edit, by the author only
//   deletions         Y.Map<DeletionRecord>   messageId → tombstone (author or moderator)
//   reactions         Y.Map<ReactionRecord>   reactionKey(messageId, userId, emoji) → record
//   readMarkers       Y.Map<MarkerRecord>     userId → last message read, own key only
//   deliveredMarkers  Y.Map<MarkerRecord>     userId → last message received, own key only
//   pins              Y.Map<PinRecord>        messageId → pin, moderators only
//   uploads           Y.Map<UploadRecord>     messageId → the fate of a `pending`
//                     attachment's bytes (stored / failed), by the author only
// No nested shared types: every value is a plain JSON object (cheap to load and to check).
import type * as Y from 'yjs';
import { z } from 'zod';
import { messageIdSchema, userIdSchema } from '../model/ids.js';
import type { MessageId, UserId } from '../model/ids.js';

export const DocRoot = {
  messages: 'messages',
  edits: 'edits',
  deletions: 'deletions',
  reactions: 'reactions',
  readMarkers: 'readMarkers',
  deliveredMarkers: 'deliveredMarkers',
  pins: 'pins',
  uploads: 'uploads',
} as const;
export type DocRoot = (typeof DocRoot)[keyof typeof DocRoot];
export const DOC_MAP_ROOTS = [
  DocRoot.edits,
  DocRoot.deletions,
  DocRoot.reactions,
  DocRoot.readMarkers,
  DocRoot.deliveredMarkers,
  DocRoot.pins,
  DocRoot.uploads,
] as const;

export const MAX_MESSAGE_TEXT = 10_000;
export const MAX_EMOJI_LENGTH = 32;

const timestamp = z.number().int().nonnegative();
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const attachmentSchema = z.strictObject({
  sha256: sha256Hex,
  mime: z.string().min(1).max(255),
  size: z.number().int().nonnegative(),
  name: z.string().max(255).optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  /** base64 thumbhash placeholder for images */
  thumbhash: z.string().max(200).optional(),
  /** classifier scores by label, for images */
  labels: z.record(z.string().max(64), z.number().min(0).max(1)).optional(),
  /** policy said "blur": receivers see the placeholder until they choose to show it */
  blurred: z.boolean().optional(),
  /**
   * The record was written when the file was attached, before the server had its bytes
   * (so a message keeps its place among those written after it, offline too): the
   * `uploads` entry under the message id says when the bytes are stored, or that they will not come.
   * Without it the bytes were stored before the record was written.
   */
  pending: z.literal(true).optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const MessageKind = { text: 'text', image: 'image', file: 'file', bot: 'bot' } as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

export const messageRecordSchema = z.strictObject({
  id: messageIdSchema,
  authorId: userIdSchema,
  createdAt: timestamp,
  kind: z.enum(['text', 'image', 'file', 'bot']),
  text: z.string().max(MAX_MESSAGE_TEXT).optional(),
  attachment: attachmentSchema.optional(),
  replyTo: messageIdSchema.optional(),
});
export type MessageRecord = z.infer<typeof messageRecordSchema>;

export const editRecordSchema = z.strictObject({
  text: z.string().max(MAX_MESSAGE_TEXT),
  by: userIdSchema,
  at: timestamp,
});
export type EditRecord = z.infer<typeof editRecordSchema>;

export const deletionRecordSchema = z.strictObject({ by: userIdSchema, at: timestamp });
export type DeletionRecord = z.infer<typeof deletionRecordSchema>;

export const reactionRecordSchema = z.strictObject({ at: timestamp });
export type ReactionRecord = z.infer<typeof reactionRecordSchema>;

export const markerRecordSchema = z.strictObject({ messageId: messageIdSchema, at: timestamp });
export type MarkerRecord = z.infer<typeof markerRecordSchema>;

export const pinRecordSchema = z.strictObject({ by: userIdSchema, at: timestamp });
export type PinRecord = z.infer<typeof pinRecordSchema>;

export const uploadRecordSchema = z.strictObject({
  /** stored: the server has the bytes; failed: they will not come (refused, or cancelled) */
  state: z.enum(['stored', 'failed']),
  at: timestamp,
});
export type UploadRecord = z.infer<typeof uploadRecordSchema>;

/** Value schema of each map root, for validators. */
export const docMapValueSchemas = {
  [DocRoot.edits]: editRecordSchema,
  [DocRoot.deletions]: deletionRecordSchema,
  [DocRoot.reactions]: reactionRecordSchema,
  [DocRoot.readMarkers]: markerRecordSchema,
  [DocRoot.deliveredMarkers]: markerRecordSchema,
  [DocRoot.pins]: pinRecordSchema,
  [DocRoot.uploads]: uploadRecordSchema,
} as const;

export interface GroupDoc {
  messages: Y.Array<MessageRecord>;
  edits: Y.Map<EditRecord>;
  deletions: Y.Map<DeletionRecord>;
  reactions: Y.Map<ReactionRecord>;
  readMarkers: Y.Map<MarkerRecord>;
  deliveredMarkers: Y.Map<MarkerRecord>;
  pins: Y.Map<PinRecord>;
  uploads: Y.Map<UploadRecord>;
}

/** Typed handles on a group document's root types. */
export function groupDoc(doc: Y.Doc): GroupDoc {
  return {
    messages: doc.getArray<MessageRecord>(DocRoot.messages),
    edits: doc.getMap<EditRecord>(DocRoot.edits),
    deletions: doc.getMap<DeletionRecord>(DocRoot.deletions),
    reactions: doc.getMap<ReactionRecord>(DocRoot.reactions),
    readMarkers: doc.getMap<MarkerRecord>(DocRoot.readMarkers),
    deliveredMarkers: doc.getMap<MarkerRecord>(DocRoot.deliveredMarkers),
    pins: doc.getMap<PinRecord>(DocRoot.pins),
    uploads: doc.getMap<UploadRecord>(DocRoot.uploads),
  };
}

/**
 * The record as readers outside the document should see it: a `pending` attachment whose
 * bytes are stored (its `uploads` entry) loses the flag; one still on its way, or failed,
 * keeps it. For copies made without the uploads map (the device's tail, the message API).
 */
export function withUploadSettled(
  record: MessageRecord,
  upload: UploadRecord | undefined,
): MessageRecord {
  if (!record.attachment?.pending || upload?.state !== 'stored') return record;
  const attachment = { ...record.attachment };
  delete attachment.pending;
  return { ...record, attachment };
}

/** Appends with insert(length, …): Y.Array.push walks the whole list. */
export function appendMessage(doc: Y.Doc, record: MessageRecord): void {
  const messages = doc.getArray<MessageRecord>(DocRoot.messages);
  messages.insert(messages.length, [record]);
}

/**
 * A member's own message: the record and the author's read marker on it, in one
 * transaction (one update on the wire and in storage).
 */
export function appendOwnMessage(doc: Y.Doc, record: MessageRecord): void {
  doc.transact(() => {
    appendMessage(doc, record);
    groupDoc(doc).readMarkers.set(record.authorId, { messageId: record.id, at: Date.now() });
  });
}

// Reaction keys: `<messageId>/<userId>/<emoji>`; ids never contain '/'.
export function reactionKey(messageId: MessageId, userId: UserId, emoji: string): string {
  return `${messageId}/${userId}/${emoji}`;
}

export function parseReactionKey(
  key: string,
): { messageId: MessageId; userId: UserId; emoji: string } | null {
  const first = key.indexOf('/');
  const second = key.indexOf('/', first + 1);
  if (first < 0 || second < 0) return null;
  const messageId = messageIdSchema.safeParse(key.slice(0, first));
  const userId = userIdSchema.safeParse(key.slice(first + 1, second));
  const emoji = key.slice(second + 1);
  if (!messageId.success || !userId.success) return null;
  if (emoji.length === 0 || emoji.length > MAX_EMOJI_LENGTH) return null;
  return { messageId: messageId.data, userId: userId.data, emoji };
}
