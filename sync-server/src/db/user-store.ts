// Users table access and the row → API shape mapping. The first human account becomes
// the admin inside the same immediate transaction that inserts it, so two concurrent
// sign-ups cannot both become admin (nor both take an invite's last use: see create).
import { and, asc, count, eq, inArray, or, sql } from 'drizzle-orm';
import type { PublicUser, User, UserId } from '@canopy/shared';
import { makeId } from '@canopy/shared';
import type { AppDatabase } from './open-database.js';
import { users } from './schema.js';

export type UserRow = typeof users.$inferSelect;

export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id as UserId,
    username: row.username,
    displayName: row.displayName,
    avatar: row.avatar,
    isBot: row.isBot,
  };
}

export function toUser(row: UserRow): User {
  return {
    ...toPublicUser(row),
    email: row.email,
    role: row.role,
    banned: row.banned,
    deleted: row.deletedAt !== null,
    createdAt: row.createdAt,
  };
}

export type CreateUserResult =
  { ok: true; user: UserRow } | { ok: false; conflict: 'username' | 'email' };

export interface NewUser {
  username: string;
  email: string;
  displayName: string;
  passwordHash: string;
}

/** LIKE pattern for a prefix search, with the user's own wildcards escaped. */
function prefixPattern(q: string): string {
  return `${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

export function createUserStore(db: AppDatabase, now: () => number = Date.now) {
  const byId = db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare();

  function conflictOf(input: { username: string; email: string }): 'username' | 'email' | null {
    const hit = db
      .select({ username: users.username, email: users.email })
      .from(users)
      .where(or(eq(users.username, input.username), eq(users.email, input.email)))
      .all();
    if (hit.some((r) => r.username === input.username)) return 'username';
    if (hit.some((r) => r.email === input.email)) return 'email';
    return null;
  }

  function humanCount(): number {
    return db.select({ n: count() }).from(users).where(eq(users.isBot, false)).get()?.n ?? 0;
  }

  /** The bot account (the oldest, should there ever be several), or undefined. */
  function findBot(): UserRow | undefined {
    return db
      .select()
      .from(users)
      .where(eq(users.isBot, true))
      .orderBy(asc(users.createdAt))
      .limit(1)
      .get();
  }

  return {
    get(id: string): UserRow | undefined {
      return byId.get({ id });
    },

    /** username and email are compared lower-case (the API schemas lower-case them). */
    findByLogin(login: string): UserRow | undefined {
      const value = login.trim().toLowerCase();
      return db
        .select()
        .from(users)
        .where(value.includes('@') ? eq(users.email, value) : eq(users.username, value))
        .get();
    },

    conflictOf,

    humanCount,

    /**
     * `admit` runs inside the transaction, told whether this is the first human account
     * (which becomes the admin); it may throw to refuse the account.
     */
    create(input: NewUser, admit?: (first: boolean) => void): CreateUserResult {
      return db.transaction(
        (tx) => {
          const conflict = conflictOf(input);
          if (conflict) return { ok: false, conflict } as const;
          const first = humanCount() === 0;
          admit?.(first);
          const row = tx
            .insert(users)
            .values({
              id: makeId(),
              username: input.username,
              email: input.email,
              displayName: input.displayName,
              passwordHash: input.passwordHash,
              role: first ? 'admin' : 'user',
              createdAt: now(),
            })
            .returning()
            .get();
          return { ok: true, user: row } as const;
        },
        { behavior: 'immediate' },
      );
    },

    findBot,

    /**
     * The bot account: no password (it cannot log in), never an admin. The first free
     * username of `usernames` (a person may already have taken the first); the email is
     * unique by construction and on a reserved domain.
     */
    ensureBot(usernames: readonly string[], displayName: string): UserRow {
      return db.transaction(
        (tx) => {
          const existing = findBot();
          if (existing) return existing;
          const id = makeId();
          const taken = new Set(
            tx
              .select({ username: users.username })
              .from(users)
              .where(inArray(users.username, [...usernames]))
              .all()
              .map((r) => r.username),
          );
          const username =
            usernames.find((u) => !taken.has(u)) ??
            `bot_${id.slice(0, 12).toLowerCase().replace(/-/g, '_')}`;
          return tx
            .insert(users)
            .values({
              id,
              username,
              email: `${id.toLowerCase()}@bot.invalid`,
              displayName,
              passwordHash: null,
              isBot: true,
              createdAt: now(),
            })
            .returning()
            .get();
        },
        { behavior: 'immediate' },
      );
    },

    update(
      id: string,
      patch: Partial<
        Pick<UserRow, 'displayName' | 'email' | 'avatar' | 'role' | 'banned' | 'emailNotifications'>
      >,
    ): UserRow | undefined {
      if (Object.keys(patch).length === 0) return byId.get({ id });
      return db.update(users).set(patch).where(eq(users.id, id)).returning().get();
    },

    setPasswordHash(id: string, passwordHash: string): void {
      db.update(users)
        .set({ passwordHash, passwordChangedAt: now() })
        .where(eq(users.id, id))
        .run();
    },

    /** Directory search: username or display-name prefix, banned users excluded. */
    search(q: string, limit: number): UserRow[] {
      const pattern = prefixPattern(q.trim().toLowerCase());
      return db
        .select()
        .from(users)
        .where(
          and(
            eq(users.banned, false),
            or(
              sql`${users.username} LIKE ${pattern} ESCAPE '\\'`,
              sql`${users.displayName} LIKE ${pattern} ESCAPE '\\'`,
            ),
          ),
        )
        .orderBy(asc(users.username))
        .limit(limit)
        .all();
    },

    list(limit: number): UserRow[] {
      return db.select().from(users).orderBy(asc(users.createdAt)).limit(limit).all();
    },

    count(): number {
      return db.select({ n: count() }).from(users).get()?.n ?? 0;
    },

    adminCount(): number {
      return (
        db
          .select({ n: count() })
          .from(users)
          .where(and(eq(users.role, 'admin'), eq(users.banned, false)))
          .get()?.n ?? 0
      );
    },

    /**
     * A deleted account: its row stays (its messages keep an author, shown as "Deleted
     * user") but holds nothing of the person: a new name and address, no password or
     * picture, banned (no log-in, out of the directory), no email.
     */
    anonymize(id: string): UserRow | undefined {
      const tag = makeId()
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
        .slice(0, 16);
      return db
        .update(users)
        .set({
          username: `deleted_${tag}`,
          email: `${tag}@deleted.invalid`,
          displayName: 'Deleted user',
          passwordHash: null,
          avatar: null,
          role: 'user',
          banned: true,
          emailNotifications: false,
          deletedAt: now(),
        })
        .where(eq(users.id, id))
        .returning()
        .get();
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;
