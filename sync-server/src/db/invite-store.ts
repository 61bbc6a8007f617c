// Invite links: an admin makes one (how many accounts, how long), the link carries a random
// code, and the table keeps only its SHA-256. A sign-up takes one use in the same
// transaction that creates the account, with one conditional UPDATE, so two people can
// never both take an invite's last use.
import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Invite } from '@canopy/shared';
import { makeId } from '@canopy/shared';
import { hashSecret, newSecret } from '../auth/secret.js';
import type { AppDatabase } from './open-database.js';
import { invites } from './schema.js';

export type InviteRow = typeof invites.$inferSelect;

export function toInvite(row: InviteRow): Invite {
  return {
    id: row.id,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    maxUses: row.maxUses,
    uses: row.uses,
    revoked: row.revokedAt !== null,
  };
}

export function createInviteStore(db: AppDatabase, now: () => number = Date.now) {
  const usable = (code: string) =>
    and(
      eq(invites.codeHash, hashSecret(code)),
      isNull(invites.revokedAt),
      lt(invites.uses, invites.maxUses),
      gt(invites.expiresAt, now()),
    );
  return {
    create(input: { createdBy: string; maxUses: number; expiresInHours: number }): {
      row: InviteRow;
      code: string;
    } {
      const code = newSecret();
      const at = now();
      const row = db
        .insert(invites)
        .values({
          id: makeId(),
          codeHash: hashSecret(code),
          createdBy: input.createdBy,
          createdAt: at,
          expiresAt: at + input.expiresInHours * 3_600_000,
          maxUses: input.maxUses,
        })
        .returning()
        .get();
      return { row, code };
    },

    /** The newest first. */
    list(limit: number): InviteRow[] {
      return db.select().from(invites).orderBy(desc(invites.createdAt)).limit(limit).all();
    },

    /** Ends the invite now (a second revoke keeps the first time); undefined if unknown. */
    revoke(id: string): InviteRow | undefined {
      return db
        .update(invites)
        .set({ revokedAt: sql`coalesce(${invites.revokedAt}, ${now()})` })
        .where(eq(invites.id, id))
        .returning()
        .get();
    },

    /** The id of the invite the code names if it can still create an account (no use taken). */
    usableId(code: string): string | undefined {
      return db.select({ id: invites.id }).from(invites).where(usable(code)).get()?.id;
    },

    /** Takes one use of the invite; its row, or undefined when it cannot be used. */
    claim(code: string): InviteRow | undefined {
      return db
        .update(invites)
        .set({ uses: sql`${invites.uses} + 1` })
        .where(usable(code))
        .returning()
        .get();
    },
  };
}

export type InviteStore = ReturnType<typeof createInviteStore>;
