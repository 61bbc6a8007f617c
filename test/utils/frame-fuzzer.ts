// Seeded frame generator for fuzzing the relay: pure random bytes, valid-looking headers
// with random payloads, and mutations (bit flips, truncation, insertion, splices, huge
// length prefixes) of a corpus of valid frames. Frames stay small so a run is fast.
import * as encoding from 'lib0/encoding';
import type { SeededRandom } from './seeded-random.js';

function withHeader(rnd: SeededRandom, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  const type = rnd.pick([0, 0, 0, 1, 1, 2, 3, 100, rnd.int(0, 300)]);
  encoding.writeVarUint(e, type);
  if (type === 0) encoding.writeVarUint(e, rnd.pick([0, 1, 2, 2, 3, rnd.int(0, 1000)]));
  if (rnd.bool(0.8)) encoding.writeVarUint8Array(e, payload);
  else encoding.writeUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

function hugeVarUint(rnd: SeededRandom): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(
    e,
    rnd.pick([2 ** 31, 2 ** 32 - 1, Number.MAX_SAFE_INTEGER, rnd.int(1000, 1e9)]),
  );
  return encoding.toUint8Array(e);
}

function mutate(rnd: SeededRandom, source: Uint8Array, corpus: Uint8Array[]): Uint8Array {
  let bytes = Uint8Array.from(source);
  const rounds = rnd.int(1, 4);
  for (let r = 0; r < rounds; r++) {
    const at = bytes.length === 0 ? 0 : rnd.int(0, bytes.length - 1);
    switch (rnd.int(0, 6)) {
      case 0: // flip bits
        if (bytes.length > 0) bytes[at] = (bytes[at] ?? 0) ^ (1 << rnd.int(0, 7));
        break;
      case 1: // random byte
        if (bytes.length > 0) bytes[at] = rnd.int(0, 255);
        break;
      case 2: // truncate
        bytes = bytes.slice(0, at);
        break;
      case 3: // insert random bytes
        bytes = Uint8Array.from([
          ...bytes.slice(0, at),
          ...rnd.bytes(rnd.int(1, 8)),
          ...bytes.slice(at),
        ]);
        break;
      case 4: // splice with another corpus frame
        bytes = Uint8Array.from([...bytes.slice(0, at), ...rnd.pick(corpus).slice(rnd.int(0, 4))]);
        break;
      case 5: // a huge length or number in the middle
        bytes = Uint8Array.from([
          ...bytes.slice(0, at),
          ...hugeVarUint(rnd),
          ...bytes.slice(at + 1),
        ]);
        break;
      default: // duplicate a run
        bytes = Uint8Array.from([...bytes, ...bytes.slice(at, at + rnd.int(1, 32))]);
    }
  }
  return bytes;
}

/** Returns a function producing the next fuzz frame. */
export function makeFrameGenerator(rnd: SeededRandom, corpus: Uint8Array[]): () => Uint8Array {
  return () => {
    const roll = rnd.next();
    if (roll < 0.25) return rnd.bytes(rnd.int(0, rnd.bool(0.9) ? 48 : 2048));
    if (roll < 0.45) return withHeader(rnd, rnd.bytes(rnd.int(0, 96)));
    if (roll < 0.55) return withHeader(rnd, mutate(rnd, rnd.pick(corpus).slice(2), corpus));
    if (roll < 0.95) return mutate(rnd, rnd.pick(corpus), corpus);
    return rnd.pick(corpus);
  };
}
