// Attachment uploads and the server's public config. Uploads are resumable (the tus
// protocol, tus-js-client, to /api/uploads): the file goes in chunks, and an upload cut short
// goes on from the last chunk the server has, also after a reload (the caller keeps the
// upload's URL). Errors match apiRequest's: ApiError with the server's code, NetworkError for
// no answer.
import { Upload } from 'tus-js-client';
import type { DetailedError } from 'tus-js-client';
import {
  UPLOADS_PATH,
  blobResponseSchema,
  errorBodySchema,
  serverConfigResponseSchema,
} from '@canopy/shared';
import type { BlobInfo, GroupId, ServerConfigResponse } from '@canopy/shared';
import { ApiError, NetworkError } from './api-error.js';
import { apiRequest } from './http.js';

/** A lost connection costs at most one chunk; 1 MiB also passes common proxy body limits. */
const CHUNK_BYTES = 1024 * 1024;

export interface UploadOptions {
  /** original file name */
  name: string;
  /** the client's claim; the server decides the type from the bytes */
  mime: string;
  /** the URL of this file's unfinished upload, to go on from where it stopped */
  resumeUrl?: string | null;
  /** the server made (or replaced) the upload: keep its URL for resuming */
  onResumeUrl?: (url: string) => void;
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

export function uploadBlob(
  groupId: GroupId,
  body: Blob,
  options: UploadOptions,
): Promise<BlobInfo> {
  return new Promise<BlobInfo>((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) {
      reject(new DOMException('upload aborted', 'AbortError'));
      return;
    }
    const upload: Upload = new Upload(body, {
      endpoint: UPLOADS_PATH,
      uploadUrl: options.resumeUrl ?? null,
      metadata: { groupId, name: options.name, type: options.mime || 'application/octet-stream' },
      chunkSize: CHUNK_BYTES,
      // The caller's queue retries (and keeps the URL); nothing goes to localStorage.
      retryDelays: null,
      storeFingerprintForResuming: false,
      onUploadUrlAvailable: () => {
        if (upload.url) options.onResumeUrl?.(upload.url);
      },
      onProgress: (sent, total) => options.onProgress?.(sent, total),
      onSuccess: ({ lastResponse }) => {
        settle();
        const blob = parseBlob(lastResponse.getStatus(), lastResponse.getBody());
        if (blob instanceof ApiError) reject(blob);
        else resolve(blob);
      },
      onError: (err) => {
        settle();
        reject(toUploadError(err));
      },
    });
    const onAbort = (): void => {
      settle();
      void upload.abort();
      reject(new DOMException('upload aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => signal?.removeEventListener('abort', onAbort);
    upload.start();
  });
}

/**
 * Ends an unfinished upload on the server (it holds its size of the user's quota until it
 * expires). Best effort: a failure leaves it to the server's expiry.
 */
export async function discardUpload(url: string): Promise<void> {
  try {
    await Upload.terminate(url, { retryDelays: null });
  } catch {
    // offline, or already gone
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseBlob(status: number, text: string): BlobInfo | ApiError {
  const parsed = blobResponseSchema.safeParse(parseJson(text));
  if (!parsed.success)
    return new ApiError(status, 'bad_response', 'The server sent an unexpected answer.');
  return parsed.data.blob;
}

function toUploadError(err: Error | DetailedError): Error {
  const response = 'originalResponse' in err ? err.originalResponse : null;
  if (!response) return new NetworkError('upload failed: no answer', { cause: err });
  const status = response.getStatus();
  const body = errorBodySchema.safeParse(parseJson(response.getBody()));
  if (body.success) return new ApiError(status, body.data.error.code, body.data.error.message);
  // tus's own refusals (a wrong offset, an expired upload) are plain text.
  return new ApiError(status, 'upload_failed', response.getBody().trim() || `HTTP ${status}`);
}

/** How long an answer of /api/config is reused: screens opened one after the other ask once. */
const CONFIG_TTL_MS = 5 * 60 * 1000;
let config: { at: number; answer: Promise<ServerConfigResponse> } | null = null;

export function fetchServerConfig(): Promise<ServerConfigResponse> {
  if (config && Date.now() - config.at < CONFIG_TTL_MS) return config.answer;
  const answer = apiRequest('/api/config', { schema: serverConfigResponseSchema });
  const entry = { at: Date.now(), answer };
  config = entry;
  // A failure is not kept: the next screen asks again.
  answer.catch(() => {
    if (config === entry) config = null;
  });
  return answer;
}
