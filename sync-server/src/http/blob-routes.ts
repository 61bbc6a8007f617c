// Blob HTTP routes (contract: shared/src/api/blobs.ts): POST /api/groups/:id/blobs (upload,
// members only) and GET /api/blobs/:sha256 (members of a referencing group; avatars: any
// signed-in user; anyone else 404, so existence is not revealed). Uploads stream straight to
// disk; ingestUpload is shared with the avatar routes.
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { ErrorCode, sha256HexSchema } from '@canopy/shared';
import type { BlobInfo } from '@canopy/shared';
import { BlobError } from '../blobs/blob-error.js';
import type { IngestOptions, IngestResult } from '../blobs/blob-store.js';
import { tooLarge } from '../blobs/receive-upload.js';
import { BLOB_CSP, blobResponse } from '../blobs/serve-blob.js';
import type { Logger } from '../log.js';
import { ApiError, notFound } from './api-error.js';
import type { AppContext, AppEnv } from './context.js';
import { groupIdParam, requireAuth } from './context.js';
import { requireMember } from './group-access.js';
import type { RouteDeps } from './route-deps.js';
import type { Services } from './services.js';

const UPLOAD_PATH = /^\/api\/(groups\/[^/]+\/blobs|me\/avatar)\/?$/;

/** Routes whose body is a file: exempt from the small JSON body limit. */
export function isUploadPath(path: string): boolean {
  return UPLOAD_PATH.test(path);
}

/**
 * The app-wide security headers overwrite Content-Security-Policy on the way out; registered
 * outside them, this puts the blob policy back on everything under /api/blobs/.
 */
export function blobCsp(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.req.path.startsWith('/api/blobs/'))
      c.res.headers.set('Content-Security-Policy', BLOB_CSP);
  };
}

/** Receives the request body as a blob in `scope`; coded errors for every refusal. */
export async function ingestUpload(
  c: AppContext,
  services: Services,
  options: Omit<IngestOptions, 'claimed'>,
): Promise<IngestResult> {
  const declared = Number(c.req.header('content-length') ?? Number.NaN);
  // Refuse before reading a byte when the client says the file is too large.
  if (declared > options.maxBytes) throw toApiError(tooLarge(options.maxBytes));
  try {
    return await services.blobs.ingest(requestBody(c), {
      ...options,
      claimed: c.req.header('content-type') ?? null,
    });
  } catch (err) {
    if (err instanceof BlobError) throw toApiError(err);
    throw err;
  }
}

/**
 * The body as a Node stream. Under @hono/node-server that is the IncomingMessage itself:
 * left paused after a refusal, node-server drains (or closes) it once the answer is out.
 * Its web-stream wrapper would instead hold the socket until node-server gives up on it.
 */
function requestBody(c: AppContext): Readable {
  // c.env is absent under app.request() (tests)
  const incoming = c.env?.incoming;
  if (incoming) return incoming;
  const body = c.req.raw.body;
  if (body === null) throw new ApiError(400, ErrorCode.BAD_REQUEST, 'send the file as the body');
  return Readable.fromWeb(body);
}

// The unread rest of a refused body is drained (or the socket closed) by @hono/node-server.
const toApiError = (err: BlobError): ApiError => new ApiError(err.status, err.code, err.message);

export function logStored(log: Logger, blob: BlobInfo, created: boolean): void {
  log.debug({ sha256: blob.sha256, size: blob.size, created }, 'blob stored');
}

export function blobRoutes({ services, log }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/groups/:id/blobs', async (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    requireMember(services.groups, groupId, user.id);
    const { blob, created } = await ingestUpload(c, services, {
      maxBytes: services.config.maxUploadBytes,
      scope: groupId,
      userId: user.id,
    });
    logStored(log, blob, created);
    return c.json({ blob }, created ? 201 : 200);
  });

  app.get('/blobs/:sha256', async (c) => {
    const { user } = requireAuth(c);
    const sha = sha256HexSchema.safeParse(c.req.param('sha256'));
    if (!sha.success || !services.blobs.canRead(sha.data, user.id)) throw notFound('blob');
    const blob = services.blobs.get(sha.data);
    const file = services.blobs.pathOf(sha.data);
    const onDisk = blob ? await stat(file).catch(() => null) : null;
    if (!blob || onDisk?.size !== blob.size) {
      log.warn({ sha256: sha.data }, 'referenced blob missing from the store');
      throw notFound('blob');
    }
    return blobResponse({
      file,
      blob,
      headers: c.req.raw.headers,
      name: c.req.query('name'),
      headOnly: c.req.method === 'HEAD',
    });
  });

  return app;
}
