// Errors of the HTTP layer. `ApiError` is an answer from the server with a shared error
// code; `NetworkError` means no answer at all (offline, DNS, server down), which callers
// treat as "queue and retry" rather than as a failure to show.
import { ErrorCode } from '@canopy/shared';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode | (string & {}),
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

export function isNetworkError(err: unknown): err is NetworkError {
  return err instanceof NetworkError;
}

export function isApiError(err: unknown, code?: string): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}

/** A sentence to show to the user for any error thrown by the API layer. */
export function describeError(err: unknown): string {
  if (err instanceof NetworkError) return 'You are offline or the server cannot be reached.';
  if (isApiError(err, ErrorCode.RATE_LIMITED))
    return 'Too many attempts. Wait a moment and try again.';
  if (err instanceof ApiError) return err.message;
  return 'Something went wrong. Please try again.';
}
