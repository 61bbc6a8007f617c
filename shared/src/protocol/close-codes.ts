// WebSocket close codes the relay uses after an upgrade was accepted. Refusals that
// happen before the upgrade (no session, foreign Origin, malformed path) are plain HTTP
// responses (401, 403, 400) and never reach a socket.
//
// `retry` says whether a client should reconnect: a permanent refusal (not a member,
// banned, rejected update) must stop the reconnect loop and be shown to the user.
export const CloseCode = {
  /** Server is shutting down; reconnect later. */
  GOING_AWAY: 1001,
  /** The session cookie is gone, expired, logged out or the password changed. */
  SESSION_ENDED: 4001,
  /** Authenticated, but not a member of this group (never was, left, or was removed). */
  NOT_MEMBER: 4003,
  /** No such group. */
  GROUP_NOT_FOUND: 4004,
  /** A frame could not be decoded (truncated, unknown message type, garbage). */
  BAD_FRAME: 4400,
  /** An update broke a document rule (forged author, foreign client id, foreign delete…). */
  UPDATE_REJECTED: 4403,
  /** The account was banned. */
  BANNED: 4410,
  /** A frame or update exceeded the size cap, or the group document is full. */
  TOO_LARGE: 4413,
  /** Too many messages per second on this connection. */
  RATE_LIMITED: 4429,
  /** The group's document could not be loaded; nothing was served. Retry later. */
  ROOM_UNAVAILABLE: 4500,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

const RETRYABLE: ReadonlySet<number> = new Set([
  CloseCode.GOING_AWAY,
  CloseCode.RATE_LIMITED,
  CloseCode.ROOM_UNAVAILABLE,
]);

/** Whether a client should reconnect after this close code (1xxx network codes: yes). */
export function shouldReconnect(code: number): boolean {
  return code < 4000 || RETRYABLE.has(code);
}
