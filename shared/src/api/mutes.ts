// Muting a conversation, one member's own setting: a muted conversation raises no system
// notification and its unread count leaves the title and the app badge, except for a
// message that mentions the member. Other members never see who muted what.
import { z } from 'zod';
import { groupIdSchema } from '../model/ids.js';

/** The longest timed mute; "until I unmute" is `until: null`. */
export const MAX_MUTE_MS = 366 * 24 * 60 * 60 * 1000;

export const muteSchema = z.object({
  groupId: groupIdSchema,
  /** ms since the epoch; null = until the member unmutes */
  until: z.number().int().nullable(),
});
export type Mute = z.infer<typeof muteSchema>;

export const muteRequestSchema = z.strictObject({
  /** a moment in the next year (ms since the epoch), or null for "until I unmute" */
  until: z.number().int().positive().nullable(),
});
export type MuteRequest = z.input<typeof muteRequestSchema>;

export const muteResponseSchema = z.object({ mute: muteSchema });
export const muteListResponseSchema = z.object({ mutes: z.array(muteSchema) });
export type MuteListResponse = z.infer<typeof muteListResponseSchema>;

/** Whether a mute (or none) silences its conversation at `now`. */
export function isMutedAt(mute: Pick<Mute, 'until'> | undefined, now: number): boolean {
  return mute !== undefined && (mute.until === null || mute.until > now);
}
