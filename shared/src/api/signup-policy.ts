// Who may create an account, set by an admin at run time: anyone (`open`, the default),
// only people with an invite link (`invite`), or nobody (`closed`). The server's first
// account is always allowed (it becomes the admin). Invites are created by admins; the
// code is shown once, at creation, and the server keeps only its hash.
import { z } from 'zod';
import { ID_PATTERN } from '../model/ids.js';
import { emailSchema } from './users.js';

export const signupPolicySchema = z.enum(['open', 'invite', 'closed']);
export type SignupPolicy = z.infer<typeof signupPolicySchema>;

export const signupSettingsSchema = z.strictObject({ policy: signupPolicySchema });
export type SignupSettings = z.infer<typeof signupSettingsSchema>;

/** An invite code: 32 random bytes, base64url (43 characters). */
export const inviteCodeSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'invalid invite code');

export const inviteIdSchema = z.string().regex(ID_PATTERN, 'invalid invite id');

export const MAX_INVITE_USES = 1000;
export const MAX_INVITE_HOURS = 24 * 90;

export const createInviteRequestSchema = z.strictObject({
  /** how many accounts it may create */
  maxUses: z.number().int().min(1).max(MAX_INVITE_USES).default(1),
  /** how long it is valid */
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(MAX_INVITE_HOURS)
    .default(24 * 7),
  /** email the link to this address too (servers that send email: /api/config) */
  email: emailSchema.optional(),
});
export type CreateInviteRequest = z.input<typeof createInviteRequestSchema>;

export const inviteSchema = z.object({
  id: inviteIdSchema,
  /** the admin who made it (null once their account is gone) */
  createdBy: z.string().nullable(),
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
  maxUses: z.number().int(),
  uses: z.number().int(),
  revoked: z.boolean(),
});
export type Invite = z.infer<typeof inviteSchema>;

/** The code comes back once, here; the link is `<origin>/signup?invite=<code>`. */
export const createInviteResponseSchema = z.object({
  invite: inviteSchema,
  code: inviteCodeSchema,
  /** the link went out by email (false when none was asked for, or sending failed) */
  emailed: z.boolean(),
});
export const inviteListResponseSchema = z.object({ invites: z.array(inviteSchema) });

/** Whether an invite can still create an account at `now`. */
export function inviteUsable(invite: Invite, now: number): boolean {
  return !invite.revoked && invite.uses < invite.maxUses && now < invite.expiresAt;
}
