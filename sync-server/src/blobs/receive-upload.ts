// Streams an upload body to a temp file while hashing (SHA-256) and counting it. Nothing is
// buffered beyond a stream chunk; reading stops as soon as the count passes the limit. On
// any failure the temp file is removed before the error reaches the caller, and the source
// is left intact (not destroyed) so the HTTP layer can still answer and drain the socket.
import { createHash, randomUUID } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ErrorCode } from '@canopy/shared';
import { BlobError } from './blob-error.js';

export interface ReceivedFile {
  /** temp file: the caller moves it into place or removes it */
  path: string;
  sha256: string;
  size: number;
}

export const tooLarge = (maxBytes: number): BlobError =>
  new BlobError(
    413,
    ErrorCode.PAYLOAD_TOO_LARGE,
    `the file is larger than the limit of ${maxBytes} bytes`,
  );

async function copyCounting(source: Readable, file: string, maxBytes: number) {
  const hash = createHash('sha256');
  let size = 0;
  const out = await open(file, 'wx');
  try {
    // destroyOnReturn: false: stopping early must not destroy the request (and its socket)
    // before the 413 is written.
    for await (const chunk of source.iterator({
      destroyOnReturn: false,
    }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge(maxBytes);
      hash.update(chunk);
      await out.write(chunk);
    }
  } finally {
    await out.close();
  }
  return { sha256: hash.digest('hex'), size };
}

export async function receiveUpload(
  source: Readable,
  tmpDir: string,
  maxBytes: number,
): Promise<ReceivedFile> {
  const file = path.join(tmpDir, `${randomUUID()}.part`);
  let received: { sha256: string; size: number };
  try {
    received = await copyCounting(source, file, maxBytes);
  } catch (err) {
    await rm(file, { force: true });
    if (err instanceof BlobError) throw err;
    // The client went away or sent a broken body: nothing was stored.
    throw new BlobError(400, ErrorCode.BAD_REQUEST, 'the upload was interrupted', { cause: err });
  }
  if (received.size === 0) {
    await rm(file, { force: true });
    throw new BlobError(400, ErrorCode.BAD_REQUEST, 'the file is empty');
  }
  return { path: file, ...received };
}
