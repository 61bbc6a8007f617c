// The content-addressed blob store: files under DATA_DIR/blobs/ab/cdef… (SHA-256 hex,
// first two characters as the folder), rows in `blobs`, and who references them in
// `blob_refs` (scope = group id, or 'avatar'). Owns the upload pipeline (receive → inspect →
// commit), read access and the per-user quota; it knows nothing of HTTP.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { and, eq, exists, ne, notExists, or, sql } from 'drizzle-orm';
import { ErrorCode } from '@canopy/shared';
import type { BlobInfo } from '@canopy/shared';
import type { AppDatabase } from '../db/open-database.js';
import { blobRefs, blobs, groupMembers, groups } from '../db/schema.js';
import { BlobError } from './blob-error.js';
import { inspectBlob } from './inspect-blob.js';
import type { BlobType } from './inspect-blob.js';
import { receiveUpload } from './receive-upload.js';
import type { ReceivedFile } from './receive-upload.js';

/** blob_refs.scope of profile pictures: readable by every signed-in user. */
export const AVATAR_SCOPE = 'avatar';

export interface BlobStoreOptions {
  db: AppDatabase;
  dataDir: string;
  quotaBytes: number;
  maxImagePixels: number;
  now?: () => number;
}

export interface IngestOptions {
  /** the client's Content-Type */
  claimed: string | null;
  maxBytes: number;
  /** only PNG/JPEG/GIF/WebP (avatars) */
  rasterOnly?: boolean;
  scope: string;
  userId: string;
}

export interface IngestResult {
  blob: BlobInfo;
  /** false when this scope already referenced the same bytes */
  created: boolean;
}

export type BlobStore = ReturnType<typeof createBlobStore>;

export function createBlobStore(options: BlobStoreOptions) {
  const { db, quotaBytes, maxImagePixels } = options;
  const now = options.now ?? Date.now;
  const root = path.join(options.dataDir, 'blobs');
  // Same file system as the blobs, so moving a finished upload into place is one rename.
  const tmpDir = path.join(root, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  // Leftovers of uploads cut short by a crash: nothing references them.
  for (const name of readdirSync(tmpDir)) rmSync(path.join(tmpDir, name), { force: true });

  const pathOf = (sha256: string): string => path.join(root, sha256.slice(0, 2), sha256.slice(2));

  function get(sha256: string): BlobInfo | undefined {
    return db
      .select({
        sha256: blobs.sha256,
        mime: blobs.mime,
        size: blobs.size,
        width: blobs.width,
        height: blobs.height,
      })
      .from(blobs)
      .where(eq(blobs.sha256, sha256))
      .get();
  }

  function hasRef(sha256: string, scope: string, userId?: string): boolean {
    const where = and(
      eq(blobRefs.sha256, sha256),
      eq(blobRefs.scope, scope),
      userId === undefined ? undefined : eq(blobRefs.userId, userId),
    );
    return (
      db
        .select({ one: sql`1` })
        .from(blobRefs)
        .where(where)
        .limit(1)
        .get() !== undefined
    );
  }

  /** Bytes of the distinct blobs the user references (what counts against the quota). */
  function usage(userId: string): number {
    const row = db
      .select({ total: sql<number>`coalesce(sum(${blobs.size}), 0)` })
      .from(blobs)
      .where(
        sql`${blobs.sha256} in (select ${blobRefs.sha256} from ${blobRefs} where ${blobRefs.userId} = ${userId})`,
      )
      .get();
    return row?.total ?? 0;
  }

  function checkQuota(sha256: string, size: number, userId: string): void {
    const owned = db
      .select({ one: sql`1` })
      .from(blobRefs)
      .where(and(eq(blobRefs.sha256, sha256), eq(blobRefs.userId, userId)))
      .get();
    if (owned) return;
    const used = usage(userId);
    if (used + size > quotaBytes) {
      throw new BlobError(
        413,
        ErrorCode.QUOTA_EXCEEDED,
        `storage quota exceeded: ${used} of ${quotaBytes} bytes used, this file needs ${size} more`,
      );
    }
  }

  /**
   * Moves the temp file into place and records blob and ref. Synchronous from the quota check
   * to the last insert, so two uploads of one user cannot both slip under the quota.
   */
  function commit(file: ReceivedFile, type: BlobType, scope: string, userId: string) {
    const { sha256, size } = file;
    return db.transaction((tx) => {
      checkQuota(sha256, size, userId);
      const target = pathOf(sha256);
      // Same name, same bytes: keep the stored copy (unless it was damaged, then replace it).
      if (statSync(target, { throwIfNoEntry: false })?.size === size) {
        rmSync(file.path, { force: true });
      } else {
        mkdirSync(path.dirname(target), { recursive: true });
        renameSync(file.path, target);
      }
      const at = now();
      tx.insert(blobs)
        .values({ sha256, size, ...type, createdBy: userId, createdAt: at })
        .onConflictDoNothing()
        .run();
      const created = !hasRef(sha256, scope);
      tx.insert(blobRefs)
        .values({ sha256, scope, userId, createdAt: at })
        .onConflictDoNothing()
        .run();
      return created;
    });
  }

  return {
    tmpDir,
    pathOf,
    get,
    hasRef,
    usage,

    /** Streams, inspects and stores an upload; the temp file never outlives the call. */
    async ingest(body: Readable, o: IngestOptions): Promise<IngestResult> {
      const file = await receiveUpload(body, tmpDir, o.maxBytes);
      try {
        const type = await inspectBlob(file.path, file.size, {
          claimed: o.claimed,
          maxPixels: maxImagePixels,
          rasterOnly: o.rasterOnly ?? false,
        });
        const created = commit(file, type, o.scope, o.userId);
        return { blob: { sha256: file.sha256, size: file.size, ...type }, created };
      } finally {
        await rm(file.path, { force: true });
      }
    },

    /** Members of a group referencing the blob may read it; avatars any signed-in user. */
    canRead(sha256: string, userId: string): boolean {
      const member = db
        .select({ one: sql`1` })
        .from(groupMembers)
        .where(and(eq(groupMembers.groupId, blobRefs.scope), eq(groupMembers.userId, userId)));
      const hit = db
        .select({ one: sql`1` })
        .from(blobRefs)
        .where(
          and(eq(blobRefs.sha256, sha256), or(eq(blobRefs.scope, AVATAR_SCOPE), exists(member))),
        )
        .limit(1)
        .get();
      return hit !== undefined;
    },

    /**
     * Forgets what nobody can reach any more: the refs of groups that no longer exist, then
     * the blobs nothing references (replaced avatars, files of deleted groups) and their
     * files. Synchronous from the query to the last file, like commit(), so an upload of the
     * same bytes cannot slip in between a row and its file.
     */
    sweep(): { blobs: number; bytes: number } {
      const orphans = db.transaction((tx) => {
        const group = tx
          .select({ one: sql`1` })
          .from(groups)
          .where(eq(groups.id, blobRefs.scope));
        tx.delete(blobRefs)
          .where(and(ne(blobRefs.scope, AVATAR_SCOPE), notExists(group)))
          .run();
        const ref = tx
          .select({ one: sql`1` })
          .from(blobRefs)
          .where(eq(blobRefs.sha256, blobs.sha256));
        const gone = tx
          .select({ sha256: blobs.sha256, size: blobs.size })
          .from(blobs)
          .where(notExists(ref))
          .all();
        for (const blob of gone) tx.delete(blobs).where(eq(blobs.sha256, blob.sha256)).run();
        return gone;
      });
      for (const blob of orphans) rmSync(pathOf(blob.sha256), { force: true });
      return { blobs: orphans.length, bytes: orphans.reduce((sum, b) => sum + b.size, 0) };
    },

    /**
     * The user's file `sha256` in group `scope` is gone (its last message was deleted): it
     * stops being readable there and counting against the user's quota; the sweep deletes
     * the bytes once nothing references them.
     */
    release(scope: string, userId: string, sha256: string): void {
      db.delete(blobRefs)
        .where(
          and(eq(blobRefs.scope, scope), eq(blobRefs.userId, userId), eq(blobRefs.sha256, sha256)),
        )
        .run();
    },

    /**
     * The user's avatar refs become exactly `sha256` (or none): replaced avatars stop being
     * readable and stop counting against the quota. The blob must already be stored.
     */
    keepOnlyAvatar(userId: string, sha256: string | null): void {
      db.transaction((tx) => {
        const mine = and(eq(blobRefs.scope, AVATAR_SCOPE), eq(blobRefs.userId, userId));
        tx.delete(blobRefs)
          .where(sha256 === null ? mine : and(mine, ne(blobRefs.sha256, sha256)))
          .run();
        if (sha256 !== null) {
          tx.insert(blobRefs)
            .values({ sha256, scope: AVATAR_SCOPE, userId, createdAt: now() })
            .onConflictDoNothing()
            .run();
        }
      });
    },
  };
}
