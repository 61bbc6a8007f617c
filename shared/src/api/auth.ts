// Sign-up, log-in, log-out. Success responses carry `{ user }` and set the session cookie.
import { z } from 'zod';
import { inviteCodeSchema } from './signup-policy.js';
import { emailSchema, passwordSchema, usernameSchema, displayNameSchema } from './users.js';

export const SESSION_COOKIE_NAME = 'canopy_session';

export const signupRequestSchema = z.strictObject({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
  displayName: displayNameSchema.optional(),
  /** the code of an invite link; required while sign-up is by invite only */
  invite: inviteCodeSchema.optional(),
});
export type SignupRequest = z.input<typeof signupRequestSchema>;

export const loginRequestSchema = z.strictObject({
  /** username or email */
  login: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.input<typeof loginRequestSchema>;
