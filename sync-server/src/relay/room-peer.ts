// A socket as a room sees it (implemented by Connection).
import type { SocketIdentity } from './relay-types.js';
import type { Sender } from './update-guard.js';

export interface RoomPeer {
  readonly identity: SocketIdentity;
  /** refreshed from the membership table on every update frame (roles change) */
  sender: Sender;
  readonly wantsAck: boolean;
  /** awareness client ids this peer introduced (y-websocket tracks the same) */
  readonly awarenessIds: Set<number>;
  /** `onSent` runs once the frame left for the kernel (or was dropped with the socket) */
  send(frame: Buffer, onSent?: () => void): void;
  close(code: number, reason: string): void;
}
