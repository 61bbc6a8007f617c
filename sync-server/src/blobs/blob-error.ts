// Expected failures of the blob store (too large, wrong type, over quota, interrupted). The
// HTTP layer turns them into the shared coded error body; they are never logged as bugs.
import type { ErrorCode } from '@canopy/shared';

export class BlobError extends Error {
  override name = 'BlobError';
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
