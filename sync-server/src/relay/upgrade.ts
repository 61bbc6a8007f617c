// Pre-accept checks of a WebSocket upgrade: the path names a valid group id, and refusals
// are plain HTTP responses on the raw socket (the upgrade never completes, no room exists).
import type { Duplex } from 'node:stream';
import { ACK_QUERY_PARAM, isId, SYNC_PATH_PREFIX } from '@canopy/shared';
import type { GroupId } from '@canopy/shared';

export interface SyncTarget {
  groupId: GroupId;
  wantsAck: boolean;
}

/** `/sync/<groupId>[?ack=1]` → target; anything else (`/sync/../x`, empty, too long) → null. */
export function parseSyncPath(url: string | undefined): SyncTarget | null {
  if (!url || url.length > 2048) return null;
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://relay.invalid');
  } catch {
    return null;
  }
  const path = parsed.pathname;
  if (!path.startsWith(SYNC_PATH_PREFIX)) return null;
  const id = path.slice(SYNC_PATH_PREFIX.length);
  if (!isId(id)) return null;
  return { groupId: id as GroupId, wantsAck: parsed.searchParams.get(ACK_QUERY_PARAM) === '1' };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Answer the upgrade request with a plain HTTP error and drop the socket. */
export function refuseUpgrade(socket: Duplex, status: number): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = STATUS_TEXT[status] ?? 'Error';
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${body}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
