// Password reset codes (table password_resets): the link's code is random and the table
// keeps only its SHA-256. Taking a code deletes every code of its user in the same
// statement's transaction, so a link works once and older links stop working with it.
import { and, eq, gt, lt } from 'drizzle-orm';
import { hashSecret, newSecret } from '../auth/secret.js';
import type { AppDatabase } from './open-database.js';
import { passwordResets } from './schema.js';

export function createPasswordResetStore(db: AppDatabase, now: () => number = Date.now) {
  return {
    /** A new code for the user, valid for `ttlMs`. */
    create(userId: string, ttlMs: number): string {
      const code = newSecret();
      const at = now();
      db.delete(passwordResets).where(lt(passwordResets.expiresAt, at)).run();
      db.insert(passwordResets)
        .values({ codeHash: hashSecret(code), userId, createdAt: at, expiresAt: at + ttlMs })
        .run();
      return code;
    },

    /** The user whose live code this is, after deleting all of that user's codes; or undefined. */
    take(code: string): string | undefined {
      return db.transaction(
        (tx) => {
          const row = tx
            .select({ userId: passwordResets.userId })
            .from(passwordResets)
            .where(
              and(
                eq(passwordResets.codeHash, hashSecret(code)),
                gt(passwordResets.expiresAt, now()),
              ),
            )
            .get();
          if (!row) return undefined;
          tx.delete(passwordResets).where(eq(passwordResets.userId, row.userId)).run();
          return row.userId;
        },
        { behavior: 'immediate' },
      );
    },
  };
}

export type PasswordResetStore = ReturnType<typeof createPasswordResetStore>;
