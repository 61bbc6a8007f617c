// Starring a conversation, one member's own setting: starred conversations are listed first
// in the member's sidebar, on every device. Other members never see who starred what.
import { z } from 'zod';
import { groupIdSchema } from '../model/ids.js';

export const starSchema = z.object({
  groupId: groupIdSchema,
  /** when it was starred (ms since the epoch) */
  at: z.number().int(),
});
export type Star = z.infer<typeof starSchema>;

export const starResponseSchema = z.object({ star: starSchema });
export const starListResponseSchema = z.object({ stars: z.array(starSchema) });
export type StarListResponse = z.infer<typeof starListResponseSchema>;
