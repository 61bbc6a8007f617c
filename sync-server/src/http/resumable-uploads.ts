// Resumable attachment uploads: the tus protocol (@tus/server, bytes kept by its file store
// under DATA_DIR/uploads until the last one arrived). POST /api/uploads creates an upload for
// a group (Upload-Metadata: groupId, name, type); PATCH appends at Upload-Offset; HEAD says how
// much arrived, so a client that lost its connection goes on from there instead of from the
// start. Only the member who created an upload may touch it (anyone else gets 404). The last
// byte sends the file through the same pipeline as a one-request upload (hash, inspect, quota,
// commit) and the answer carries `{ blob }`; every refusal, tus's own included, carries the
// usual `{ error }` body.
// Unfinished uploads expire after a day.
//
// @tus/server and its file store are loaded on the first upload request (or sweep of a
// non-empty upload folder): with their dependencies they add ~9.5 MB to the process, which
// a relay that never sees an upload does not need to carry.
import { createReadStream } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Server, Upload } from '@tus/server';
import type { FileStore } from '@tus/file-store';
import { ErrorCode, UPLOADS_PATH, groupIdSchema } from '@canopy/shared';
import type { GroupId } from '@canopy/shared';
import { BlobError } from '../blobs/blob-error.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { GroupStore } from '../db/group-store.js';
import type { Logger } from '../log.js';
import { ApiError } from './api-error.js';
import { requireMember } from './group-access.js';

const EXPIRE_MS = 24 * 60 * 60 * 1000;
/** Unfinished uploads one user may hold at a time (each reserves its size of the quota). */
export const MAX_OPEN_UPLOADS = 20;

export interface ResumableUploadsOptions {
  dataDir: string;
  maxBytes: number;
  quotaBytes: number;
  blobs: BlobStore;
  groups: GroupStore;
  log: Logger;
}

export interface ResumableUploads {
  /** Answers one tus request of a signed-in user. */
  handle(request: Request, userId: string): Promise<Response>;
  /** Removes unfinished uploads older than a day; resolves with how many. */
  deleteExpired(): Promise<number>;
}

/** tus answers an error that has `status_code` and `body` with exactly those. */
class TusRefusal extends Error {
  override name = 'TusRefusal';
  constructor(
    readonly status_code: number,
    readonly body: string,
  ) {
    super(body);
  }
}

const refusal = (status: number, code: ErrorCode, message: string): TusRefusal =>
  new TusRefusal(status, JSON.stringify({ error: { code, message } }));

/** tus's own refusals (plain text) as our error body, by status. */
const TUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: ErrorCode.BAD_REQUEST,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  410: ErrorCode.NOT_FOUND,
  412: ErrorCode.BAD_REQUEST,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
};

function asOurError(
  err: Error | { status_code: number; body: string },
  log: Logger,
): { status_code: number; body: string } {
  if (!('status_code' in err)) {
    log.error({ err }, 'upload failed');
    return refusal(500, ErrorCode.INTERNAL, 'the upload could not be stored');
  }
  if (err.body.startsWith('{')) return err;
  const code = TUS_CODES[err.status_code] ?? ErrorCode.INTERNAL;
  return refusal(err.status_code, code, err.body.trim() || `upload refused (${err.status_code})`);
}

const asRefusal = (err: unknown): TusRefusal => {
  if (err instanceof ApiError || err instanceof BlobError)
    return refusal(err.status, err.code, err.message);
  throw err;
};

export function createResumableUploads(options: ResumableUploadsOptions): ResumableUploads {
  const { blobs, groups, log } = options;
  const owners = new WeakMap<Request, string>();
  const directory = path.join(options.dataDir, 'uploads');

  const ownerOf = (req: Request): string => {
    const userId = owners.get(req);
    if (!userId) throw refusal(401, ErrorCode.UNAUTHENTICATED, 'sign in first');
    return userId;
  };
  const groupOf = (upload: Upload): GroupId => {
    const parsed = groupIdSchema.safeParse(upload.metadata?.groupId);
    if (!parsed.success) throw refusal(400, ErrorCode.BAD_REQUEST, 'groupId metadata missing');
    return parsed.data;
  };

  /** The user's unfinished uploads (a directory listing: fine for a small team's server). */
  async function openUploadsOf(store: FileStore, userId: string): Promise<Upload[]> {
    const ids = (await store.configstore.list?.()) ?? [];
    const uploads = await Promise.all(ids.map((id) => store.configstore.get(id)));
    return uploads.filter((u): u is Upload => u?.metadata?.userId === userId);
  }

  const build = async (): Promise<Server> => {
    const [{ Server }, { FileStore }] = await Promise.all([
      import('@tus/server'),
      import('@tus/file-store'),
      // FileStore creates its directory without waiting for it: a first request that lists
      // or writes right after start would find none (ENOENT, a 500).
      mkdir(directory, { recursive: true, mode: 0o700 }),
    ]);
    const store = new FileStore({ directory, expirationPeriodInMilliseconds: EXPIRE_MS });
    return new Server({
      path: UPLOADS_PATH,
      datastore: store,
      maxSize: options.maxBytes,
      relativeLocation: true,
      onResponseError: (_req, err) => asOurError(err, log),
      async onIncomingRequest(req, uploadId) {
        const userId = ownerOf(req);
        if (req.method === 'POST' || req.method === 'OPTIONS') return;
        const upload = await store.getUpload(uploadId).catch(() => null);
        // Someone else's upload does not exist for this user; a missing one is tus's 404.
        if (upload && upload.metadata?.userId !== userId)
          throw refusal(404, ErrorCode.NOT_FOUND, 'upload not found');
      },
      async onUploadCreate(req, upload) {
        const userId = ownerOf(req);
        try {
          requireMember(groups, groupOf(upload), userId);
        } catch (err) {
          throw asRefusal(err);
        }
        if (upload.size === undefined)
          throw refusal(400, ErrorCode.BAD_REQUEST, 'send Upload-Length when creating an upload');
        // Unfinished uploads sit on disk for a day: they count against the quota at once.
        const open = await openUploadsOf(store, userId);
        if (open.length >= MAX_OPEN_UPLOADS)
          throw refusal(
            429,
            ErrorCode.RATE_LIMITED,
            'too many unfinished uploads; finish some first',
          );
        const reserved = open.reduce((sum, u) => sum + (u.size ?? 0), 0);
        const used = blobs.usage(userId);
        if (used + reserved + upload.size > options.quotaBytes) {
          throw refusal(
            413,
            ErrorCode.QUOTA_EXCEEDED,
            `storage quota exceeded: ${used} of ${options.quotaBytes} bytes used, ${reserved} reserved by unfinished uploads, this file needs ${upload.size} more`,
          );
        }
        return { metadata: { ...upload.metadata, userId } };
      },
      async onUploadFinish(req, upload) {
        const userId = ownerOf(req);
        const file = path.join(store.directory, upload.id);
        try {
          const groupId = groupOf(upload);
          requireMember(groups, groupId, userId);
          const { blob, created } = await blobs.ingest(createReadStream(file), {
            claimed: upload.metadata?.type ?? null,
            maxBytes: options.maxBytes,
            scope: groupId,
            userId,
          });
          log.debug({ sha256: blob.sha256, size: blob.size, created }, 'blob stored');
          return {
            status_code: created ? 201 : 200,
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ blob }),
          };
        } catch (err) {
          throw asRefusal(err);
        } finally {
          // Stored or refused for good: the bytes are not needed again either way (a removal
          // that fails leaves them to the expiry sweep).
          await store.remove(upload.id).catch(() => undefined);
        }
      },
    });
  };
  let tus: Promise<Server> | null = null;
  const server = (): Promise<Server> =>
    (tus ??= build().catch((err: unknown) => {
      tus = null; // the next request tries again
      throw err;
    }));

  return {
    async handle(request, userId) {
      owners.set(request, userId);
      return (await server()).handleWeb(request);
    },
    async deleteExpired() {
      const left = await readdir(directory).catch(() => []);
      if (!tus && left.length === 0) return 0;
      return (await server()).cleanUpExpiredUploads();
    },
  };
}

/** Requests for the tus endpoint (exempt from the small JSON body limit). */
export function isResumablePath(pathname: string): boolean {
  return pathname === UPLOADS_PATH || pathname.startsWith(`${UPLOADS_PATH}/`);
}
