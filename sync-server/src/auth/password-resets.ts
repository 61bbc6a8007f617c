// "Forgot your password?": a user asks for a link by email address, and the link's code sets
// a new password once, within an hour; every session of the account ends then. Offered
// only when the server sends email and knows its public origin (PUBLIC_ORIGIN): a link
// built from a request's Host header could point anywhere. The answer to a request is the
// same whether or not an account uses the address (no one learns who has an account), and
// the email goes out after the answer, so its timing tells nothing either. Requests are
// rate-limited per IP (the auth limits) and per account (a few an hour).
import { ErrorCode } from '@canopy/shared';
import type { AuditLog } from '../audit.js';
import { AuditAction } from '../audit.js';
import type { PasswordResetStore } from '../db/password-reset-store.js';
import type { UserRow, UserStore } from '../db/user-store.js';
import { ApiError, rateLimited } from '../http/api-error.js';
import type { Logger } from '../log.js';
import { mailErrorCode } from '../mail/mailer.js';
import type { Mailer } from '../mail/mailer.js';
import { hashPassword } from './password.js';
import { createRateLimiter } from './rate-limiter.js';
import type { SessionManager } from './sessions.js';

export const RESET_TTL_MS = 60 * 60 * 1000;
const EMAILS_PER_ACCOUNT_PER_HOUR = 3;

export interface PasswordResetOptions {
  store: PasswordResetStore;
  users: UserStore;
  sessions: SessionManager;
  audit: AuditLog;
  mailer: Mailer;
  publicOrigin: string;
  /** attempts per IP per window (the auth limits: AUTH_RATE_LIMIT_IP) */
  rateLimit: { perIp: number; windowMs: number };
  log: Logger;
}

export function createPasswordResets(options: PasswordResetOptions) {
  const { store, users, sessions, audit, log } = options;
  const perAccount = createRateLimiter({
    limit: EMAILS_PER_ACCOUNT_PER_HOUR,
    windowMs: 60 * 60 * 1000,
  });
  const perIp = createRateLimiter({
    limit: options.rateLimit.perIp,
    windowMs: options.rateLimit.windowMs,
  });
  const limitIp = (ip: string): void => {
    const d = perIp.hit(ip);
    if (!d.ok) throw rateLimited(d.retryAfterSeconds);
  };

  const sendLink = async (user: UserRow, code: string): Promise<void> => {
    const link = `${options.publicOrigin}/reset-password?code=${code}`;
    await options.mailer.send({
      to: user.email,
      subject: 'Reset your Canopy password',
      text: [
        `Hi ${user.displayName},`,
        '',
        `Someone, hopefully you, asked to reset the password of your Canopy account @${user.username}.`,
        'Choose a new one here within an hour:',
        '',
        link,
        '',
        'The link works once. If you did not ask for this, ignore this email: your password',
        'stays as it is.',
        '',
      ].join('\n'),
    });
  };

  return {
    /** Sends a link if an account uses `email`; answers the same either way. */
    request(email: string, ip: string): void {
      limitIp(ip);
      const user = users.findByLogin(email);
      if (!user || user.isBot || user.banned) return;
      if (!perAccount.hit(user.id).ok) return;
      const code = store.create(user.id, RESET_TTL_MS);
      audit.write({
        action: AuditAction.passwordResetRequested,
        actorId: null,
        targetId: user.id,
        details: { ip },
      });
      void sendLink(user, code).catch((err: unknown) =>
        log.warn({ userId: user.id, code: mailErrorCode(err) }, 'password reset email failed'),
      );
    },

    /** Sets the new password of the code's account and ends its sessions; its id. */
    async confirm(code: string, newPassword: string, ip: string): Promise<string> {
      limitIp(ip);
      const userId = store.take(code);
      const user = userId ? users.get(userId) : undefined;
      if (!user || user.banned) {
        throw new ApiError(
          400,
          ErrorCode.RESET_INVALID,
          'this reset link has expired or was used already: ask for a new one',
        );
      }
      users.setPasswordHash(user.id, await hashPassword(newPassword));
      await sessions.invalidateUser(user.id);
      audit.write({
        action: AuditAction.passwordResetByEmail,
        actorId: user.id,
        targetId: user.id,
      });
      return user.id;
    },
  };
}

export type PasswordResets = ReturnType<typeof createPasswordResets>;
