// Error contract of the HTTP API: every non-2xx response has the body
// `{ error: { code, message, details? } }` with one of these codes.
import { z } from 'zod';

export const ErrorCode = {
  BAD_REQUEST: 'bad_request',
  VALIDATION: 'validation_failed',
  UNAUTHENTICATED: 'unauthenticated',
  INVALID_CREDENTIALS: 'invalid_credentials',
  FORBIDDEN: 'forbidden',
  BAD_ORIGIN: 'bad_origin',
  BANNED: 'banned',
  NOT_FOUND: 'not_found',
  CONFLICT: 'conflict',
  USERNAME_TAKEN: 'username_taken',
  EMAIL_TAKEN: 'email_taken',
  SIGNUP_CLOSED: 'signup_closed',
  INVITE_REQUIRED: 'invite_required',
  INVITE_INVALID: 'invite_invalid',
  RESET_INVALID: 'reset_invalid',
  PAYLOAD_TOO_LARGE: 'payload_too_large',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported_media_type',
  QUOTA_EXCEEDED: 'quota_exceeded',
  RATE_LIMITED: 'rate_limited',
  UNAVAILABLE: 'unavailable',
  INTERNAL: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
