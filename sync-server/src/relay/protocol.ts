// Frame codec of the y-websocket protocol (y-protocols sync/awareness + lib0 encoding),
// plus Canopy's ACK extension. Every frame is: varUint messageType, then the payload.
//   SYNC (0)            varUint syncType, varUint8Array payload
//                         0 step 1: the sender's state vector; answer with step 2
//                         1 step 2: the update the receiver lacks (plus the delete set)
//                         2 update: an incremental update
//   AWARENESS (1)       varUint8Array awareness update
//   QUERY_AWARENESS (3) no payload: the client asks for every awareness state
//   ACK (100)           server → client only: varUint8Array state vector of what is stored
// Decoding is strict (no trailing bytes, lengths within the frame): anything else is a
// bad frame. Decoding never applies anything; it only slices the frame.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType } from '@canopy/shared';

export const SyncType = { STEP1: 0, STEP2: 1, UPDATE: 2 } as const;

export type IncomingFrame =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'sync-step2'; update: Uint8Array }
  | { kind: 'sync-update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' };

export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/** Decode a client frame. Throws FrameError on anything malformed or unknown. */
export function decodeFrame(data: Uint8Array): IncomingFrame {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    let frame: IncomingFrame;
    switch (type) {
      case MessageType.SYNC: {
        const syncType = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (syncType === SyncType.STEP1) frame = { kind: 'sync-step1', stateVector: payload };
        else if (syncType === SyncType.STEP2) frame = { kind: 'sync-step2', update: payload };
        else if (syncType === SyncType.UPDATE) frame = { kind: 'sync-update', update: payload };
        else throw new FrameError(`unknown sync message type ${syncType}`);
        break;
      }
      case MessageType.AWARENESS:
        frame = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
        break;
      case MessageType.QUERY_AWARENESS:
        frame = { kind: 'query-awareness' };
        break;
      default:
        // AUTH and ACK only ever travel server → client.
        throw new FrameError(`unknown message type ${type}`);
    }
    if (decoding.hasContent(decoder)) throw new FrameError('trailing bytes after the message');
    return frame;
  } catch (err) {
    if (err instanceof FrameError) throw err;
    throw new FrameError('truncated or malformed frame', { cause: err });
  }
}

function frameOf(type: number, write: (encoder: encoding.Encoder) => void): Buffer {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  const bytes = encoding.toUint8Array(encoder);
  // A Buffer view (no copy): ws sends Buffers without converting them.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function syncFrame(syncType: number, payload: Uint8Array): Buffer {
  return frameOf(MessageType.SYNC, (encoder) => {
    encoding.writeVarUint(encoder, syncType);
    encoding.writeVarUint8Array(encoder, payload);
  });
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Buffer =>
  syncFrame(SyncType.STEP1, stateVector);
export const encodeSyncStep2 = (update: Uint8Array): Buffer => syncFrame(SyncType.STEP2, update);
export const encodeSyncUpdate = (update: Uint8Array): Buffer => syncFrame(SyncType.UPDATE, update);

export const encodeAwareness = (update: Uint8Array): Buffer =>
  frameOf(MessageType.AWARENESS, (encoder) => encoding.writeVarUint8Array(encoder, update));

export const encodeAck = (stateVector: Uint8Array): Buffer =>
  frameOf(MessageType.ACK, (encoder) => encoding.writeVarUint8Array(encoder, stateVector));
