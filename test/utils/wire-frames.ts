// Builders for y-websocket frames (plus Canopy's ACK check), pure and dependency-light,
// for tests that hand-craft what goes on the wire: any client id, any clock, any state.
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { MessageType } from '@canopy/shared';

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

export const frames = {
  syncStep1: (stateVector: Uint8Array): Uint8Array =>
    frame((e) => {
      encoding.writeVarUint(e, MessageType.SYNC);
      encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
      encoding.writeVarUint8Array(e, stateVector);
    }),
  syncStep2: (update: Uint8Array): Uint8Array =>
    frame((e) => {
      encoding.writeVarUint(e, MessageType.SYNC);
      encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
      encoding.writeVarUint8Array(e, update);
    }),
  update: (update: Uint8Array): Uint8Array =>
    frame((e) => {
      encoding.writeVarUint(e, MessageType.SYNC);
      encoding.writeVarUint(e, syncProtocol.messageYjsUpdate);
      encoding.writeVarUint8Array(e, update);
    }),
  awareness: (awarenessUpdate: Uint8Array): Uint8Array =>
    frame((e) => {
      encoding.writeVarUint(e, MessageType.AWARENESS);
      encoding.writeVarUint8Array(e, awarenessUpdate);
    }),
  queryAwareness: (): Uint8Array =>
    frame((e) => encoding.writeVarUint(e, MessageType.QUERY_AWARENESS)),
};

/** An awareness update built by hand: any client id, any clock, any state (null = removal). */
export function encodeAwareness(
  entries: { clientId: number; clock: number; state: unknown }[],
): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const { clientId, clock, state } of entries) {
      encoding.writeVarUint(e, clientId);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, JSON.stringify(state));
    }
  });
}

/** Whether the state vector `have` covers every clock in `want`. */
export function svCovers(have: Map<number, number>, want: Map<number, number>): boolean {
  for (const [client, clock] of want) {
    if ((have.get(client) ?? 0) < clock) return false;
  }
  return true;
}
