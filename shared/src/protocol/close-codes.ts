// WebSocket close codes the relay uses after an upgrade was accepted. Refusals that
// happen before the upgrade (no session, foreign Origin, malformed path) are plain HTTP
// responses (401, 403, 400) and never reach a socket.
//
// The numbering follows the stock y-websocket client's convention, so it does the right
// thing unchanged: 4400-4499 mirror HTTP 4xx and are permanent (the client stops
// reconnecting and emits 'closed'); every other code is transient and retried with backoff
// (4500-4599 mirror HTTP 5xx/429: the server, not the client, is the problem right now).
export const CloseCode = {
  /** Server is shutting down; reconnect later. */
  GOING_AWAY: 1001,
  /** A frame could not be decoded (truncated, unknown message type, garbage). */
  BAD_FRAME: 4400,
  /** The session cookie is gone, expired, logged out or the password changed. */
  SESSION_ENDED: 4401,
  /** Authenticated, but not a member of this group (never was, left, or was removed). */
  NOT_MEMBER: 4403,
  /** No such group. */
  GROUP_NOT_FOUND: 4404,
  /** The account was banned. */
  BANNED: 4410,
  /** A frame or update exceeded the size cap, or the group document is full. */
  TOO_LARGE: 4413,
  /** An update broke a document rule (forged author, foreign client id, foreign delete…). */
  UPDATE_REJECTED: 4422,
  /** The group's document could not be loaded; nothing was served. Retry later. */
  ROOM_UNAVAILABLE: 4503,
  /** Too many messages per second on this connection; retry after a pause. */
  RATE_LIMITED: 4529,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Whether a client should reconnect after this close code (same rule as y-websocket's default). */
export function shouldReconnect(code: number): boolean {
  return !(code >= 4400 && code < 4500);
}
