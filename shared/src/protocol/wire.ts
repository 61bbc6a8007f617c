// The y-websocket wire protocol as Canopy speaks it, plus one extension.
//
// Every frame is a binary message: varuint message type, then the payload.
//   0 SYNC            y-protocols/sync: step 1 (state vector), step 2 (missing update), update
//   1 AWARENESS       y-protocols/awareness update (presence, typing)
//   2 AUTH            y-protocols/auth: permission denied + reason (server → client)
//   3 QUERY_AWARENESS client asks for every awareness state
//  100 ACK           Canopy extension, server → client only, and only to clients that
//                    asked for it by connecting with the query parameter `ack=1`:
//                    payload = varUint8Array(Yjs state vector of what is durably stored).
//                    Sent after each commit that stored something for the room, so a
//                    client can show "on the server" per message. The stock y-websocket
//                    client never asks and never receives it.
export const MessageType = {
  SYNC: 0,
  AWARENESS: 1,
  AUTH: 2,
  QUERY_AWARENESS: 3,
  ACK: 100,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Query parameter a client sets on the WebSocket URL to receive ACK frames. */
export const ACK_QUERY_PARAM = 'ack';

/** WebSocket path prefix; the full path is `/sync/<groupId>`. */
export const SYNC_PATH_PREFIX = '/sync/';

/**
 * Largest frame the relay accepts (bigger: TOO_LARGE). A stock client uploads its whole
 * offline catch-up as one sync step 2 frame, so this is the most a device can write offline
 * (live updates have a smaller cap, see the document guard).
 */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;
