// Sign-up, log-in and password changes: the rules around the credentials (rate limits,
// constant-ish time for unknown accounts, bans, who may sign up, audit) independent of HTTP
// plumbing.
// Throws ApiError for the caller-visible outcomes; returns the new session otherwise.
import { ErrorCode } from '@canopy/shared';
import type { AuditLog } from '../audit.js';
import { AuditAction } from '../audit.js';
import type { InviteStore } from '../db/invite-store.js';
import type { SettingsStore } from '../db/settings-store.js';
import type { UserRow, UserStore } from '../db/user-store.js';
import { ApiError, rateLimited } from '../http/api-error.js';
import { createPasswordVerifier, hashPassword } from './password.js';
import { createRateLimiter } from './rate-limiter.js';
import type { SessionInfo, SessionManager } from './sessions.js';

export interface IssuedSession {
  user: UserRow;
  secret: string;
  session: SessionInfo;
}

export interface AuthServiceOptions {
  users: UserStore;
  invites: InviteStore;
  settings: SettingsStore;
  sessions: SessionManager;
  audit: AuditLog;
  rateLimit: { perIp: number; perAccount: number; windowMs: number };
}

export function createAuthService(options: AuthServiceOptions) {
  const { users, invites, settings, sessions, audit } = options;
  const verifier = createPasswordVerifier();
  const perIp = createRateLimiter({
    limit: options.rateLimit.perIp,
    windowMs: options.rateLimit.windowMs,
  });
  const perAccount = createRateLimiter({
    limit: options.rateLimit.perAccount,
    windowMs: options.rateLimit.windowMs,
  });

  function limitIp(ip: string): void {
    const d = perIp.hit(ip);
    if (!d.ok) throw rateLimited(d.retryAfterSeconds);
  }

  /**
   * Refuses a sign-up the server's policy does not allow (throws); the first account is
   * always allowed. By invite, `take` takes one use of it; the invite's id comes back.
   */
  function admit(code: string | undefined, first: boolean, take: boolean): string | undefined {
    if (first) return undefined;
    const policy = settings.signupPolicy();
    if (policy === 'open') return undefined;
    if (policy === 'closed') {
      throw new ApiError(
        403,
        ErrorCode.SIGNUP_CLOSED,
        'sign-up is closed on this server: ask an administrator for an account',
      );
    }
    if (!code) {
      throw new ApiError(
        403,
        ErrorCode.INVITE_REQUIRED,
        'sign-up on this server is by invite only: open the invite link you were sent',
      );
    }
    const id = take ? invites.claim(code)?.id : invites.usableId(code);
    if (!id) {
      throw new ApiError(
        403,
        ErrorCode.INVITE_INVALID,
        'this invite link has expired, been used up or been revoked',
      );
    }
    return id;
  }

  /** The signed-in user's own password, before they change or delete their account. */
  async function confirmPassword(user: UserRow, password: string): Promise<void> {
    const gate = perAccount.check(user.username);
    if (!gate.ok) throw rateLimited(gate.retryAfterSeconds);
    if (!(await verifier.verify(user.passwordHash, password))) {
      perAccount.hit(user.username);
      throw new ApiError(401, ErrorCode.INVALID_CREDENTIALS, 'the current password is wrong');
    }
  }

  async function issue(user: UserRow, device: string | null): Promise<IssuedSession> {
    const { secret, session } = await sessions.create(user.id, device);
    return { user, secret, session };
  }

  return {
    confirmPassword,

    async signup(
      input: {
        username: string;
        email: string;
        password: string;
        displayName?: string | undefined;
        invite?: string | undefined;
      },
      ip: string,
      device: string | null = null,
    ): Promise<IssuedSession> {
      limitIp(ip);
      // Cheap checks first, so a refused sign-up or a taken name does not cost a hash;
      // create() checks both again in its transaction, where the invite's use is taken.
      admit(input.invite, users.humanCount() === 0, false);
      const taken = users.conflictOf(input);
      if (taken) throw takenError(taken);
      const passwordHash = await hashPassword(input.password);
      let inviteId: string | undefined;
      const result = users.create(
        {
          username: input.username,
          email: input.email,
          displayName: input.displayName ?? input.username,
          passwordHash,
        },
        (first) => {
          inviteId = admit(input.invite, first, true);
        },
      );
      if (!result.ok) throw takenError(result.conflict);
      audit.write({
        action: AuditAction.signup,
        actorId: result.user.id,
        targetId: result.user.id,
        details: { role: result.user.role, ip, ...(inviteId ? { invite: inviteId } : {}) },
      });
      return issue(result.user, device);
    },

    async login(
      input: { login: string; password: string },
      ip: string,
      device: string | null = null,
    ): Promise<IssuedSession> {
      limitIp(ip);
      const account = input.login.trim().toLowerCase();
      const gate = perAccount.check(account);
      if (!gate.ok) throw rateLimited(gate.retryAfterSeconds);
      const user = users.findByLogin(account);
      // Unknown users and bot accounts (no hash) still pay for one verify. The bot never
      // signs in, even should an admin have given it a password.
      const ok = await verifier.verify(user?.passwordHash, input.password);
      if (!ok || !user || user.isBot) {
        perAccount.hit(account);
        audit.write({
          action: AuditAction.loginFailed,
          actorId: null,
          targetId: user?.id,
          details: { reason: user ? 'bad_password' : 'unknown_account', ip },
        });
        throw new ApiError(401, ErrorCode.INVALID_CREDENTIALS, 'wrong username, email or password');
      }
      // Only someone who knows the password learns about the ban.
      if (user.banned) {
        audit.write({
          action: AuditAction.loginFailed,
          actorId: user.id,
          targetId: user.id,
          details: { reason: 'banned', ip },
        });
        throw new ApiError(403, ErrorCode.BANNED, 'this account is banned');
      }
      perAccount.reset(account);
      return issue(user, device);
    },

    /**
     * Verify the current password, set the new one, end every session, issue a fresh one
     * (for the same device).
     */
    async changePassword(
      user: UserRow,
      currentPassword: string,
      newPassword: string,
      device: string | null = null,
    ): Promise<IssuedSession> {
      await confirmPassword(user, currentPassword);
      users.setPasswordHash(user.id, await hashPassword(newPassword));
      await sessions.invalidateUser(user.id);
      audit.write({ action: AuditAction.passwordChanged, actorId: user.id, targetId: user.id });
      return issue(user, device);
    },

    /** Admin reset: new password, every session of the user ends. */
    async resetPassword(actorId: string, target: UserRow, newPassword: string): Promise<void> {
      users.setPasswordHash(target.id, await hashPassword(newPassword));
      await sessions.invalidateUser(target.id);
      audit.write({ action: AuditAction.passwordReset, actorId, targetId: target.id });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

function takenError(which: 'username' | 'email'): ApiError {
  return which === 'username'
    ? new ApiError(409, ErrorCode.USERNAME_TAKEN, 'that username is taken')
    : new ApiError(409, ErrorCode.EMAIL_TAKEN, 'that email is already registered');
}
