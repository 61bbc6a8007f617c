// Sign-up, log-in, log-out, password reset by email. Success responses of sign-up and log-in
// carry `{ user }` and set the session cookie.
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

/** "Forgot your password?": a link goes to the address if an account uses it. */
export const passwordResetRequestSchema = z.strictObject({ email: emailSchema });
export type PasswordResetRequest = z.input<typeof passwordResetRequestSchema>;

/** The code from the emailed link (32 random bytes, base64url) and the new password. */
export const passwordResetConfirmSchema = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'invalid reset code'),
  newPassword: passwordSchema,
});
export type PasswordResetConfirm = z.input<typeof passwordResetConfirmSchema>;
