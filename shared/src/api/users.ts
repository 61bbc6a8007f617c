// Users and profiles.
import { z } from 'zod';
import { userIdSchema } from '../model/ids.js';

export const USERNAME_PATTERN = /^[a-z0-9_]{3,32}$/;

/** Usernames are stored and compared lower-case; input is lower-cased before the check. */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(USERNAME_PATTERN, 'username must be 3-32 characters of a-z, 0-9 and _');
export const emailSchema = z.string().trim().toLowerCase().max(254).email('invalid email');
export const passwordSchema = z
  .string()
  .min(8, 'password must be at least 8 characters')
  .max(256, 'password must be at most 256 characters');
export const displayNameSchema = z.string().trim().min(1).max(64);
export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const UserRole = { user: 'user', admin: 'admin' } as const;
export type UserRole = (typeof UserRole)[keyof typeof UserRole];

/** A user as other users see them. */
export const publicUserSchema = z.object({
  id: userIdSchema,
  username: z.string(),
  displayName: z.string(),
  /** sha256 of the avatar blob, or null */
  avatar: sha256HexSchema.nullable(),
  isBot: z.boolean(),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

/** The signed-in user (and what admins see). */
export const userSchema = publicUserSchema.extend({
  email: z.string(),
  role: z.enum(['user', 'admin']),
  banned: z.boolean(),
  /** the person deleted their account: only the name "Deleted user" is left */
  deleted: z.boolean().default(false),
  createdAt: z.number().int(),
});
export type User = z.infer<typeof userSchema>;

export const userResponseSchema = z.object({ user: userSchema });
export type UserResponse = z.infer<typeof userResponseSchema>;

export const userSearchResponseSchema = z.object({ users: z.array(publicUserSchema) });
export type UserSearchResponse = z.infer<typeof userSearchResponseSchema>;

export const MAX_USER_LOOKUP = 100;
/** POST /api/users/lookup: public profiles by id, answered like a search (unknown ids left out). */
export const userLookupRequestSchema = z.strictObject({
  ids: z.array(userIdSchema).min(1).max(MAX_USER_LOOKUP),
});
export type UserLookupRequest = z.input<typeof userLookupRequestSchema>;

export const updateProfileRequestSchema = z.strictObject({
  displayName: displayNameSchema.optional(),
  email: emailSchema.optional(),
  avatar: sha256HexSchema.nullable().optional(),
});
export type UpdateProfileRequest = z.input<typeof updateProfileRequestSchema>;

export const changePasswordRequestSchema = z.strictObject({
  currentPassword: z.string().max(256),
  newPassword: passwordSchema,
});
export type ChangePasswordRequest = z.input<typeof changePasswordRequestSchema>;

/** DELETE /api/me: the account's own password confirms it. */
export const deleteAccountRequestSchema = z.strictObject({ password: z.string().max(256) });
export type DeleteAccountRequest = z.input<typeof deleteAccountRequestSchema>;
