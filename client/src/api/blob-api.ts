// Blob uploads and the server's public config. Uploads use XMLHttpRequest: it reports upload
// progress everywhere, while a streamed fetch body needs HTTP/2 and `duplex: 'half'`.
// Errors match apiRequest's: ApiError with the server's code, NetworkError for no answer.
import { FILE_NAME_HEADER, blobResponseSchema, serverConfigResponseSchema } from '@canopy/shared';
import type { BlobInfo, GroupId, ServerConfigResponse } from '@canopy/shared';
import { ApiError, NetworkError } from './api-error.js';
import { apiRequest, toApiError } from './http.js';

export interface UploadOptions {
  /** original file name, sent percent-encoded in X-File-Name */
  name: string;
  /** the client's claim; the server decides the type from the bytes */
  mime: string;
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
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/groups/${encodeURIComponent(groupId)}/blobs`);
    xhr.setRequestHeader('Content-Type', options.mime || 'application/octet-stream');
    xhr.setRequestHeader(FILE_NAME_HEADER, encodeURIComponent(options.name));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) =>
      options.onProgress?.(e.loaded, e.lengthComputable ? e.total : body.size);
    const onAbort = (): void => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => signal?.removeEventListener('abort', onAbort);
    xhr.onload = () => {
      settle();
      void answer(xhr).then(resolve, reject);
    };
    xhr.onerror = () => {
      settle();
      reject(new NetworkError('upload failed: no answer'));
    };
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => {
      settle();
      reject(new DOMException('upload aborted', 'AbortError'));
    };
    xhr.send(body);
  });
}

async function answer(xhr: XMLHttpRequest): Promise<BlobInfo> {
  const text = xhr.responseText;
  if (xhr.status < 200 || xhr.status >= 300) {
    const type = xhr.getResponseHeader('content-type') ?? 'text/plain';
    throw await toApiError(
      new Response(text, { status: xhr.status, headers: { 'content-type': type } }),
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ApiError(xhr.status, 'bad_response', 'The server sent an unreadable answer.', cause);
  }
  const parsed = blobResponseSchema.safeParse(json);
  if (!parsed.success)
    throw new ApiError(xhr.status, 'bad_response', 'The server sent an unexpected answer.');
  return parsed.data.blob;
}

export function fetchServerConfig(): Promise<ServerConfigResponse> {
  return apiRequest('/api/config', { schema: serverConfigResponseSchema });
}
