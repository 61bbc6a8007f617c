// The audit log: security-relevant facts (sign-ups, failed logins, bans, role changes,
// password resets, membership changes, the relay's refusals) in table audit_log.
// Details are structured ids, codes and sizes: never message text, passwords or tokens.
import { and, desc, lt } from 'drizzle-orm';
import type { AuditEntry } from '@canopy/shared';
import type { AppDatabase } from './db/open-database.js';
import { auditLog } from './db/schema.js';

export interface AuditInput {
  action: string;
  actorId: string | null;
  targetId?: string | undefined;
  groupId?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

export interface AuditLog {
  write(entry: AuditInput): void;
  /** newest first; `before` is an entry id (cursor) */
  list(options: { limit: number; before?: number | undefined }): AuditEntry[];
}

export const AuditAction = {
  signup: 'signup',
  loginFailed: 'login_failed',
  userBanned: 'user_banned',
  userUnbanned: 'user_unbanned',
  userRoleChanged: 'user_role_changed',
  passwordChanged: 'password_changed',
  passwordReset: 'password_reset',
  passwordResetRequested: 'password_reset_requested',
  passwordResetByEmail: 'password_reset_by_email',
  groupCreated: 'group_created',
  groupMemberAdded: 'group_member_added',
  groupMemberRemoved: 'group_member_removed',
  groupMemberLeft: 'group_member_left',
  groupRoleChanged: 'group_role_changed',
  groupDeleted: 'group_deleted',
  signupPolicyChanged: 'signup_policy_changed',
  inviteCreated: 'invite_created',
  inviteRevoked: 'invite_revoked',
  accountDeleted: 'account_deleted',
} as const;

export function createAuditLog(db: AppDatabase, now: () => number = Date.now): AuditLog {
  return {
    write(entry) {
      db.insert(auditLog)
        .values({
          at: now(),
          actorId: entry.actorId,
          action: entry.action,
          targetId: entry.targetId ?? null,
          groupId: entry.groupId ?? null,
          details: entry.details ? JSON.stringify(entry.details) : null,
        })
        .run();
    },
    list({ limit, before }) {
      const rows = db
        .select()
        .from(auditLog)
        .where(before === undefined ? undefined : and(lt(auditLog.id, before)))
        .orderBy(desc(auditLog.id))
        .limit(limit)
        .all();
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        actorId: r.actorId,
        action: r.action,
        targetId: r.targetId,
        groupId: r.groupId,
        details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
      }));
    },
  };
}
