// The message API for scripts and integrations. It reads and writes the same Yjs
// document as live clients, so they see an API message at once.
import { z } from 'zod';
import { messageIdSchema } from '../model/ids.js';
import { MAX_MESSAGE_TEXT, messageRecordSchema } from '../protocol/document.js';

export const postMessageRequestSchema = z.strictObject({
  text: z.string().trim().min(1).max(MAX_MESSAGE_TEXT),
  replyTo: messageIdSchema.optional(),
});
export type PostMessageRequest = z.input<typeof postMessageRequestSchema>;

/** `PATCH /api/groups/:id/messages/:messageId`: the author's new text (answers 204). */
export const editMessageRequestSchema = z.strictObject({
  text: z.string().trim().min(1).max(MAX_MESSAGE_TEXT),
});
export type EditMessageRequest = z.input<typeof editMessageRequestSchema>;

export const messageResponseSchema = z.object({ message: messageRecordSchema });

export const listMessagesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** message id: return messages before this one */
  before: messageIdSchema.optional(),
});

/**
 * A message as the API lists it: the record, with its edit applied and a stored pending
 * attachment shown as a plain one (see withUploadSettled). A pending attachment whose bytes
 * will not come (the author's upload was refused or removed) says so with `uploadFailed`;
 * one without it is still on its way.
 */
export const listedMessageSchema = messageRecordSchema.extend({
  uploadFailed: z.literal(true).optional(),
});
export type ListedMessage = z.infer<typeof listedMessageSchema>;

export const listMessagesResponseSchema = z.object({
  /** oldest first */
  messages: z.array(listedMessageSchema),
  hasMore: z.boolean(),
});
export type ListMessagesResponse = z.infer<typeof listMessagesResponseSchema>;
