// "On the server" bookkeeping: the highest durably stored clock per Yjs client, from the
// relay's ACK frames (state vector of what is stored). A message item (client, clock) is on
// the server when stored[client] > clock. Kept monotonic; persisted by the caller.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

export interface DeliveryState {
  isStored(client: number, clock: number): boolean;
  /** Merges a state vector; returns whether anything advanced. */
  merge(sv: Map<number, number>): boolean;
  encode(): Uint8Array;
}

export function makeDeliveryState(initial?: Uint8Array): DeliveryState {
  const stored = new Map<number, number>();
  if (initial) {
    try {
      for (const [c, k] of Y.decodeStateVector(initial)) stored.set(c, k);
    } catch {
      stored.clear(); // a corrupt cached vector only costs a late "on the server"
    }
  }
  return {
    isStored: (client, clock) => (stored.get(client) ?? 0) > clock,
    merge(sv) {
      let advanced = false;
      for (const [client, clock] of sv) {
        if (clock > (stored.get(client) ?? 0)) {
          stored.set(client, clock);
          advanced = true;
        }
      }
      return advanced;
    },
    encode() {
      // Same layout as Y.encodeStateVector, so Y.decodeStateVector reads it back.
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, stored.size);
      for (const [client, clock] of stored) {
        encoding.writeVarUint(enc, client);
        encoding.writeVarUint(enc, clock);
      }
      return encoding.toUint8Array(enc);
    },
  };
}
