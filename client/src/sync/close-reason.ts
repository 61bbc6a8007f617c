// Maps the relay's permanent close codes to a reason the UI can explain.
import { CloseCode } from '@canopy/shared';

export type CloseReason =
  'session-ended' | 'removed' | 'banned' | 'not-found' | 'rejected' | 'too-large' | 'unknown';

export function closeReasonOf(code: number): CloseReason {
  switch (code) {
    case CloseCode.SESSION_ENDED:
      return 'session-ended';
    case CloseCode.NOT_MEMBER:
      return 'removed';
    case CloseCode.BANNED:
      return 'banned';
    case CloseCode.GROUP_NOT_FOUND:
      return 'not-found';
    case CloseCode.UPDATE_REJECTED:
    case CloseCode.BAD_FRAME:
      return 'rejected';
    case CloseCode.TOO_LARGE:
      return 'too-large';
    default:
      return 'unknown';
  }
}

export function describeCloseReason(reason: CloseReason): string {
  switch (reason) {
    case 'session-ended':
      return 'Your session ended. Please log in again.';
    case 'removed':
      return 'You are no longer a member of this group.';
    case 'banned':
      return 'Your account has been banned.';
    case 'not-found':
      return 'This group no longer exists.';
    case 'rejected':
      return 'The server refused a change from this device; it was not sent.';
    case 'too-large':
      return 'This group is full or a change was too large.';
    case 'unknown':
      return 'The server closed the connection.';
  }
}
