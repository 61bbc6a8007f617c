// A refusal raised anywhere inside the document authority. Rule checks throw it so the
// common (accepting) path stays free of result plumbing; `document-guard.ts` turns it
// into a verdict. Reasons are short, fixed phrases: never message text or user data.
import { CloseCode } from '@canopy/shared';

export class Refusal extends Error {
  constructor(
    readonly code: CloseCode,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'Refusal';
  }
}

/** A rule violation: the update is well-formed but not allowed for this sender. */
export function reject(reason: string): never {
  throw new Refusal(CloseCode.UPDATE_REJECTED, reason);
}

/** The bytes cannot be decoded (truncated, out-of-range lengths, trailing garbage). */
export function malformed(reason: string): never {
  throw new Refusal(CloseCode.BAD_FRAME, reason);
}

/** The update is over a size or count cap. */
export function tooLarge(reason: string): never {
  throw new Refusal(CloseCode.TOO_LARGE, reason);
}
