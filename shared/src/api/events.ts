// The per-user event channel (`GET /api/events`, Server-Sent Events). It keeps the
// sidebar current without a WebSocket per group. Each SSE `data:` line is one JSON
// UserEvent; the SSE event name is its `type`.
import { z } from 'zod';
import { groupIdSchema, messageIdSchema, userIdSchema } from '../model/ids.js';
import { groupSchema } from './groups.js';
import { muteSchema } from './mutes.js';
import { conversationFlagSchema } from './conversation-flags.js';
import { publicUserSchema } from './users.js';

export const userEventSchema = z.discriminatedUnion('type', [
  /** the user was added to a group, or a group they are in changed (name, members, roles) */
  z.object({ type: z.literal('group'), group: groupSchema }),
  /** the user left or was removed from a group */
  z.object({ type: z.literal('group-removed'), groupId: groupIdSchema }),
  /**
   * something was written to a group the user is in (unread hint; no message text): a new
   * message, or with `change` an edit or deletion of message `messageId` by `authorId`
   */
  z.object({
    type: z.literal('activity'),
    groupId: groupIdSchema,
    messageId: messageIdSchema.optional(),
    authorId: userIdSchema.optional(),
    change: z.enum(['edit', 'delete']).optional(),
    /** the new message mentions the recipient */
    mention: z.literal(true).optional(),
    at: z.number().int(),
  }),
  /** the recipient muted (`mute` set) or unmuted (`mute: null`) a conversation, on any device */
  z.object({
    type: z.literal('mute'),
    groupId: groupIdSchema,
    mute: muteSchema.pick({ until: true }).nullable(),
  }),
  /** the recipient set (`at`, when) or cleared (`at: null`) a flag of a conversation */
  z.object({
    type: z.literal('flag'),
    groupId: groupIdSchema,
    flag: conversationFlagSchema,
    at: z.number().int().nullable(),
  }),
  /** a user who shares a group with the recipient (or the recipient) changed their profile */
  z.object({ type: z.literal('user'), user: publicUserSchema }),
  /**
   * a DM partner of the recipient came online (opened the app) or went offline; a new
   * stream first hears which of its user's DM partners are online
   */
  z.object({ type: z.literal('presence'), userId: userIdSchema, online: z.boolean() }),
  /** the session ended (logout elsewhere, password change, ban) */
  z.object({ type: z.literal('session-ended'), reason: z.enum(['logout', 'password', 'banned']) }),
]);
export type UserEvent = z.infer<typeof userEventSchema>;

/** Every event's `type`, which is also its SSE event name. */
export const USER_EVENT_TYPES: readonly UserEvent['type'][] = userEventSchema.options.map(
  (option) => option.shape.type.value,
);
