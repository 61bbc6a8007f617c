// A member's own marks on a conversation, the same on all their devices and seen by nobody
// else: `star` lists it first in the sidebar; `unread` shows it as unread until they open it
// again ("Mark as unread", which leaves the read markers, and so others' read receipts,
// alone).
import { z } from 'zod';
import { groupIdSchema } from '../model/ids.js';

export const CONVERSATION_FLAGS = ['star', 'unread'] as const;
export const conversationFlagSchema = z.enum(CONVERSATION_FLAGS);
export type ConversationFlag = z.infer<typeof conversationFlagSchema>;

export const flagSchema = z.object({
  groupId: groupIdSchema,
  flag: conversationFlagSchema,
  /** when it was set (ms since the epoch) */
  at: z.number().int(),
});
export type Flag = z.infer<typeof flagSchema>;

export const flagResponseSchema = z.object({ flag: flagSchema });
export const flagListResponseSchema = z.object({ flags: z.array(flagSchema) });
export type FlagListResponse = z.infer<typeof flagListResponseSchema>;
