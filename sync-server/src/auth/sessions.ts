// Sessions: the cookie carries a random 32-byte secret (base64url); the database keys the
// session by SHA-256(secret), so a leaked database cannot be replayed as cookies. Lucia
// does the bookkeeping (sliding expiry: refreshed once less than half the TTL is left);
// the adapter adds the absolute lifetime and the ban rule.
import { Lucia, TimeSpan } from 'lucia';
import type { AppDatabase } from '../db/open-database.js';
import type { UserRow } from '../db/user-store.js';
import { hashSecret, newSecret } from './secret.js';
import { createSessionAdapter } from './session-adapter.js';
import type { SessionAttributes } from './session-adapter.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface SessionInfo {
  /** SHA-256 (hex) of the cookie secret */
  id: string;
  userId: string;
  /** the earlier of the sliding and the absolute expiry, ms */
  expiresAt: number;
  /** the sliding expiry moved: re-send the cookie */
  fresh: boolean;
  /** what signed in ("Firefox on Linux"), or null */
  device: string | null;
}

/** One of a user's live sessions, as their session list shows it. */
export interface SessionSummary {
  id: string;
  createdAt: number;
  expiresAt: number;
  device: string | null;
}

export interface ValidSession {
  user: UserRow;
  session: SessionInfo;
}

export interface SessionManager {
  /** A new session; `secret` goes into the cookie and nowhere else. */
  create(userId: string, device?: string | null): Promise<{ secret: string; session: SessionInfo }>;
  /** The session behind a cookie value, or null (missing, malformed, unknown, expired, banned). */
  validate(secret: string | null | undefined): Promise<ValidSession | null>;
  invalidate(sessionId: string): Promise<void>;
  invalidateUser(userId: string): Promise<void>;
  deleteExpired(): Promise<void>;
  /** ids of the user's live sessions (to close their sockets and event streams) */
  sessionIdsOf(userId: string): Promise<string[]>;
  /** the user's live sessions, the newest first */
  listOf(userId: string): Promise<SessionSummary[]>;
}

export function createSessionManager(options: {
  db: AppDatabase;
  ttlDays: number;
  maxDays: number;
  now?: () => number;
}): SessionManager {
  const now = options.now ?? Date.now;
  const lucia: Lucia<SessionAttributes, { row: UserRow }> = new Lucia(
    createSessionAdapter(options.db, now),
    {
      sessionExpiresIn: new TimeSpan(options.ttlDays, 'd'),
      getSessionAttributes: (a) => a,
      getUserAttributes: (a) => a,
    },
  );

  function info(s: {
    id: string;
    userId: string;
    expiresAt: Date;
    fresh: boolean;
    absoluteExpiresAt: number;
    device: string | null;
  }): SessionInfo {
    return {
      id: s.id,
      userId: s.userId,
      expiresAt: Math.min(s.expiresAt.getTime(), s.absoluteExpiresAt),
      fresh: s.fresh,
      device: s.device,
    };
  }

  return {
    async create(userId, device = null) {
      const secret = newSecret();
      const t = now();
      const session = await lucia.createSession(
        userId,
        { absoluteExpiresAt: t + options.maxDays * DAY_MS, createdAt: t, device },
        { sessionId: hashSecret(secret) },
      );
      return { secret, session: info(session) };
    },

    async validate(secret) {
      if (!secret || !SECRET_PATTERN.test(secret)) return null;
      const { session, user } = await lucia.validateSession(hashSecret(secret));
      if (!session) return null;
      return { user: user.row, session: info(session) };
    },

    invalidate: (sessionId) => lucia.invalidateSession(sessionId),
    invalidateUser: (userId) => lucia.invalidateUserSessions(userId),
    deleteExpired: () => lucia.deleteExpiredSessions(),
    async sessionIdsOf(userId) {
      return (await lucia.getUserSessions(userId)).map((s) => s.id);
    },
    async listOf(userId) {
      return (await lucia.getUserSessions(userId))
        .map((s) => {
          const { id, expiresAt, device } = info(s);
          return { id, createdAt: s.createdAt, expiresAt, device };
        })
        .sort((a, b) => b.createdAt - a.createdAt);
    },
  };
}
