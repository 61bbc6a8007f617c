// Typed failures of the relay's in-process API (postMessage, listMessages). Each carries
// the shared HTTP error code and status, so the HTTP layer maps them without guessing.
import { ErrorCode } from '@canopy/shared';

export class RelayError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The group id is malformed or no such group exists (HTTP 404). */
export class GroupNotFoundError extends RelayError {
  constructor(groupId: string) {
    super(ErrorCode.NOT_FOUND, 404, `no group ${JSON.stringify(groupId.slice(0, 40))}`);
  }
}

/** A `before` cursor names no message in the group (never sent, or deleted since) (HTTP 404). */
export class MessageNotFoundError extends RelayError {
  constructor(messageId: string) {
    super(ErrorCode.NOT_FOUND, 404, `no message ${JSON.stringify(messageId)} in this group`);
  }
}

/** Another member's message, without a moderator's role (HTTP 403). */
export class MessageForbiddenError extends RelayError {
  constructor() {
    super(ErrorCode.FORBIDDEN, 403, 'only the author or a group owner or admin may delete it');
  }
}

/** The message does not match the document's message schema (HTTP 400). */
export class InvalidMessageError extends RelayError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.VALIDATION, 400, message, options);
  }
}

/** The group's document reached its size cap (HTTP 413). */
export class DocumentFullError extends RelayError {
  constructor() {
    super(ErrorCode.QUOTA_EXCEEDED, 413, 'the group document is full');
  }
}

/** The document could not be loaded or stored; nothing was written (HTTP 503). */
export class RoomUnavailableError extends RelayError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.UNAVAILABLE, 503, message, options);
  }
}
