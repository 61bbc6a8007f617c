// Sentences for the account API's refusals, shared by the sign-up and profile screens.
import { ErrorCode } from '@canopy/shared';
import { describeError, isApiError } from '../../api/api-error.js';

export function avatarUploadMessage(err: unknown): string {
  if (isApiError(err, ErrorCode.PAYLOAD_TOO_LARGE)) return 'The picture is too large.';
  if (isApiError(err, ErrorCode.UNSUPPORTED_MEDIA_TYPE))
    return 'The server could not read it as a picture.';
  if (isApiError(err, ErrorCode.QUOTA_EXCEEDED)) return 'Your storage on this server is full.';
  return describeError(err);
}

export function profileMessage(err: unknown): string {
  if (isApiError(err, ErrorCode.EMAIL_TAKEN)) return 'An account with that email already exists.';
  if (isApiError(err, ErrorCode.VALIDATION))
    return 'The server did not accept these details. Check the display name and the email.';
  return describeError(err);
}

export function passwordMessage(err: unknown): string {
  if (isApiError(err, ErrorCode.INVALID_CREDENTIALS)) return 'Your current password is wrong.';
  return describeError(err);
}
