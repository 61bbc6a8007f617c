// The one error type routes throw for expected failures. app.onError turns it into the
// shared `{ error: { code, message, details? } }` body; anything else is a bug (500).
import { ErrorCode } from '@canopy/shared';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** extra response headers, e.g. Retry-After */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const unauthenticated = () => new ApiError(401, ErrorCode.UNAUTHENTICATED, 'sign in first');
export const forbidden = (message = 'not allowed') =>
  new ApiError(403, ErrorCode.FORBIDDEN, message);
export const notFound = (what = 'resource') =>
  new ApiError(404, ErrorCode.NOT_FOUND, `${what} not found`);
export const conflict = (message: string, details?: unknown) =>
  new ApiError(409, ErrorCode.CONFLICT, message, details);
export const rateLimited = (retryAfterSeconds: number) =>
  new ApiError(
    429,
    ErrorCode.RATE_LIMITED,
    `too many attempts; retry in ${retryAfterSeconds} s`,
    { retryAfterSeconds },
    { 'Retry-After': String(retryAfterSeconds) },
  );
