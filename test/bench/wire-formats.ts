// The two wire formats the light clients speak, reduced to what a light client needs.
//   y-websocket (Canopy): [varuint type][payload]; sync = 0 with y-protocols/sync
//     sub-messages step1 (0), step2 (1), update (2).
//   Hocuspocus: [varstring document name][varuint type][payload]; the same sync
//     sub-messages under type 0 (and 4, "sync reply"); the client must first send
//     Auth (2) = [varuint 0 (token)][varstring token][varstring provider version].
// A light client never decodes a Yjs update; it only needs to know where one starts.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType } from '@canopy/shared';

const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
const HOCUSPOCUS_SYNC_REPLY = 4;
const HOCUSPOCUS_AUTH_TOKEN = 0;

/** An empty Yjs update (no structs, empty delete set): a client with nothing to add. */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

export type FrameKind =
  /** server's state vector: answer with `step2Reply()` */
  | 'step1'
  /** the server's answer to our step 1: the initial sync is complete */
  | 'step2'
  | 'update'
  | 'other';

export interface WireFormat {
  readonly name: string;
  /** frames to send right after the socket opens, ending with sync step 1 */
  hello(stateVector: Uint8Array): Uint8Array[];
  /** a sync-update frame carrying `update` */
  updateFrame(update: Uint8Array): Uint8Array;
  /** the step-2 answer to a server step 1 (a light client has nothing the server lacks) */
  step2Reply(): Uint8Array;
  classify(frame: Uint8Array): FrameKind;
}

function syncFrame(
  prefix: (e: encoding.Encoder) => void,
  sub: number,
  payload: Uint8Array,
): Uint8Array {
  const e = encoding.createEncoder();
  prefix(e);
  encoding.writeVarUint(e, MessageType.SYNC);
  encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

function classifySync(d: decoding.Decoder): FrameKind {
  const sub = decoding.readVarUint(d);
  if (sub === SYNC_STEP1) return 'step1';
  if (sub === SYNC_STEP2) return 'step2';
  if (sub === SYNC_UPDATE) return 'update';
  return 'other';
}

export const yWebsocketWire: WireFormat = {
  name: 'y-websocket',
  hello: (sv) => [syncFrame(() => {}, SYNC_STEP1, sv)],
  updateFrame: (update) => syncFrame(() => {}, SYNC_UPDATE, update),
  step2Reply: () => syncFrame(() => {}, SYNC_STEP2, EMPTY_UPDATE),
  classify(frame) {
    // Fast path: almost every frame under load is [0, 2, …].
    if (frame[0] !== MessageType.SYNC) return 'other';
    return classifySync(decoding.createDecoder(frame.subarray(1)));
  },
};

export function hocuspocusWire(documentName: string, providerVersion: string): WireFormat {
  const address = (e: encoding.Encoder): void => encoding.writeVarString(e, documentName);
  const addressBytes = encoding.encode(address);
  return {
    name: 'hocuspocus',
    hello(sv) {
      const auth = encoding.encode((e) => {
        address(e);
        encoding.writeVarUint(e, MessageType.AUTH);
        encoding.writeVarUint(e, HOCUSPOCUS_AUTH_TOKEN);
        encoding.writeVarString(e, '');
        encoding.writeVarString(e, providerVersion);
      });
      return [auth, syncFrame(address, SYNC_STEP1, sv)];
    },
    updateFrame: (update) => syncFrame(address, SYNC_UPDATE, update),
    step2Reply: () => syncFrame(address, SYNC_STEP2, EMPTY_UPDATE),
    classify(frame) {
      // Connection-level frames (ping) carry no address.
      if (frame.length < addressBytes.length + 2) return 'other';
      const d = decoding.createDecoder(frame.subarray(addressBytes.length));
      const type = decoding.readVarUint(d);
      if (type !== MessageType.SYNC && type !== HOCUSPOCUS_SYNC_REPLY) return 'other';
      return classifySync(d);
    },
  };
}
