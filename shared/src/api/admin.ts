// Administration: users (ban, roles, password reset), audit log, server stats.
import { z } from 'zod';
import { userSchema, passwordSchema } from './users.js';

export const adminUpdateUserRequestSchema = z.strictObject({
  role: z.enum(['user', 'admin']).optional(),
  banned: z.boolean().optional(),
});
export type AdminUpdateUserRequest = z.input<typeof adminUpdateUserRequestSchema>;

export const adminResetPasswordRequestSchema = z.strictObject({ newPassword: passwordSchema });

export const adminUserListResponseSchema = z.object({ users: z.array(userSchema) });

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.number().int(),
  actorId: z.string().nullable(),
  action: z.string(),
  targetId: z.string().nullable(),
  groupId: z.string().nullable(),
  /** structured, never message text, passwords or tokens */
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditLogResponseSchema = z.object({ entries: z.array(auditEntrySchema) });

export const serverStatsSchema = z.object({
  users: z.number().int(),
  groups: z.number().int(),
  openRooms: z.number().int(),
  connections: z.number().int(),
  storedUpdates: z.number().int(),
  uptimeSeconds: z.number(),
  rssBytes: z.number().int(),
});
export type ServerStats = z.infer<typeof serverStatsSchema>;
