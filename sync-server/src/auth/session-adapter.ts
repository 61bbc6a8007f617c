// Lucia (v3) adapter over the drizzle `sessions` and `users` tables. Session ids are the
// SHA-256 of the cookie secret (see sessions.ts), so this table never holds a usable token.
// Two rules live here because Lucia does not know them: a session past its absolute
// lifetime reads as expired (Lucia then deletes it), and a banned user's sessions read as
// user-less (Lucia deletes those too), so neither ever validates.
import { eq, lte, or, sql } from 'drizzle-orm';
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import type { Lucia } from 'lucia';
import type { AppDatabase } from '../db/open-database.js';
import { sessions, users } from '../db/schema.js';
import type { UserRow } from '../db/user-store.js';

export interface SessionAttributes {
  absoluteExpiresAt: number;
  createdAt: number;
  /** "Firefox on Linux" (device-label.ts), or null */
  device: string | null;
}

export type CanopyLucia = Lucia<SessionAttributes, { row: UserRow }>;

declare module 'lucia' {
  interface Register {
    Lucia: CanopyLucia;
    DatabaseSessionAttributes: SessionAttributes;
    DatabaseUserAttributes: { row: UserRow };
  }
}

type SessionRow = typeof sessions.$inferSelect;

function toDatabaseSession(row: SessionRow): DatabaseSession {
  return {
    id: row.id,
    userId: row.userId,
    // The earlier of the sliding and the absolute expiry: Lucia's own check then enforces both.
    expiresAt: new Date(Math.min(row.expiresAt, row.absoluteExpiresAt)),
    attributes: {
      absoluteExpiresAt: row.absoluteExpiresAt,
      createdAt: row.createdAt,
      device: row.device,
    },
  };
}

export function createSessionAdapter(db: AppDatabase, now: () => number = Date.now): Adapter {
  const sessionAndUser = db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare();

  return {
    getSessionAndUser(sessionId) {
      const hit = sessionAndUser.get({ id: sessionId });
      if (!hit) return Promise.resolve([null, null]);
      const user: DatabaseUser | null = hit.user.banned
        ? null
        : { id: hit.user.id, attributes: { row: hit.user } };
      return Promise.resolve([toDatabaseSession(hit.session), user]);
    },
    getUserSessions(userId) {
      const rows = db.select().from(sessions).where(eq(sessions.userId, userId)).all();
      return Promise.resolve(rows.map(toDatabaseSession));
    },
    setSession(session) {
      db.insert(sessions)
        .values({
          id: session.id,
          userId: session.userId,
          expiresAt: session.expiresAt.getTime(),
          absoluteExpiresAt: session.attributes.absoluteExpiresAt,
          createdAt: session.attributes.createdAt,
          device: session.attributes.device,
        })
        .run();
      return Promise.resolve();
    },
    updateSessionExpiration(sessionId, expiresAt) {
      db.update(sessions)
        .set({ expiresAt: expiresAt.getTime() })
        .where(eq(sessions.id, sessionId))
        .run();
      return Promise.resolve();
    },
    deleteSession(sessionId) {
      db.delete(sessions).where(eq(sessions.id, sessionId)).run();
      return Promise.resolve();
    },
    deleteUserSessions(userId) {
      db.delete(sessions).where(eq(sessions.userId, userId)).run();
      return Promise.resolve();
    },
    deleteExpiredSessions() {
      const t = now();
      db.delete(sessions)
        .where(or(lte(sessions.expiresAt, t), lte(sessions.absoluteExpiresAt, t)))
        .run();
      return Promise.resolve();
    },
  };
}
