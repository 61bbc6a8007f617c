// Bounded reader for Yjs v1 updates (the encoding y-websocket speaks). It reads with
// Yjs's own UpdateDecoderV1 and follows `readClientsStructRefs` field by field, but unlike
// Y.decodeUpdate (which materializes every struct before anyone can look at it) it stops at
// the first sign of abuse: counts that cannot fit in the remaining bytes, content types the
// group document never uses (their payload is not even read), duplicate client blocks,
// zero-length structs, clocks past MAX_CLOCK, trailing bytes. Pure: touches no document.
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { malformed, reject, tooLarge } from './refusal.js';

/** No honest client reaches 2^32 operations under one client id; beyond it lies overflow. */
export const MAX_CLOCK = 2 ** 32;
/** One struct (a GC run, a deleted range) spanning more clocks than this is not honest. */
export const MAX_STRUCT_LENGTH = 2 ** 24;

export interface WireId {
  client: number;
  clock: number;
}

export interface WireItem {
  kind: 'item';
  client: number;
  clock: number;
  length: number;
  origin: WireId | null;
  rightOrigin: WireId | null;
  /** root type name when the parent is sent on the wire (no origins) */
  parentName: string | null;
  /** the wire names a nested type (an item id) as parent: never allowed here */
  parentIsId: boolean;
  parentSub: string | null;
  /** ContentAny values; null for ContentDeleted */
  values: unknown[] | null;
  // Filled in by the causality pass (resolve-structs.ts), as Yjs's getMissing would:
  /** effective root name, inherited from the origin when not on the wire */
  root: string | null;
  sub: string | null;
  /** the item lands next to a GC struct: Yjs turns it into GC, its content has no effect */
  gc: boolean;
  /** clocks of this item the document already has (Yjs integrates only the rest) */
  offset: number;
  /** the whole item is already known: Yjs skips it */
  known: boolean;
}

export interface WireRun {
  kind: 'gc' | 'skip';
  client: number;
  clock: number;
  length: number;
}

export type WireStruct = WireItem | WireRun;

export interface WireBlock {
  client: number;
  structs: WireStruct[];
  // Filled in by the causality pass:
  /** index of the next struct to integrate */
  next: number;
  /** the client's state reached so far (document state, then the update's structs) */
  state: number;
}

export interface WireDeleteRange {
  client: number;
  clock: number;
  length: number;
}

export interface WireUpdate {
  blocks: WireBlock[];
  deletes: WireDeleteRange[];
}

export interface DecodeLimits {
  maxStructs: number;
  maxDeleteRanges: number;
}

const CONTENT_DELETED = 1;
const CONTENT_ANY = 8;
const SKIP = 10;

/** Every struct and every delete range takes at least two bytes on the wire. */
function remaining(d: decoding.Decoder): number {
  return d.arr.length - d.pos;
}

function readCount(d: decoding.Decoder, minBytesEach: number, what: string): number {
  const n = decoding.readVarUint(d);
  if (n * minBytesEach > remaining(d)) malformed(`${what} count past the end`);
  return n;
}

function readId(decoder: Y.UpdateDecoderV1): WireId {
  return decoder.readLeftID();
}

function readItem(
  decoder: Y.UpdateDecoderV1,
  info: number,
  client: number,
  clock: number,
): WireItem {
  const ref = info & 31;
  if (ref > SKIP) malformed('unknown content type');
  if (ref !== CONTENT_ANY && ref !== CONTENT_DELETED) reject('content type not allowed');
  const origin = (info & 128) === 128 ? readId(decoder) : null;
  const rightOrigin = (info & 64) === 64 ? readId(decoder) : null;
  const carriesParent = (info & (128 | 64)) === 0;
  let parentName: string | null = null;
  let parentIsId = false;
  if (carriesParent) {
    if (decoder.readParentInfo()) parentName = decoder.readString();
    else {
      readId(decoder);
      parentIsId = true;
    }
  }
  const parentSub = carriesParent && (info & 32) === 32 ? decoder.readString() : null;
  let values: unknown[] | null = null;
  let length: number;
  if (ref === CONTENT_DELETED) {
    length = decoder.readLen();
  } else {
    const n = decoder.readLen();
    if (n > remaining(decoder.restDecoder)) malformed('content length past the end');
    values = new Array<unknown>(n);
    for (let i = 0; i < n; i++) values[i] = decoder.readAny();
    length = n;
  }
  return {
    kind: 'item',
    client,
    clock,
    length,
    origin,
    rightOrigin,
    parentName,
    parentIsId,
    parentSub,
    values,
    root: null,
    sub: null,
    gc: false,
    offset: 0,
    known: false,
  };
}

function readBlocks(decoder: Y.UpdateDecoderV1, limits: DecodeLimits): WireBlock[] {
  const d = decoder.restDecoder;
  const blockCount = readCount(d, 3, 'client block');
  const blocks: WireBlock[] = [];
  const seen = blockCount > 1 ? new Set<number>() : null;
  let total = 0;
  for (let b = 0; b < blockCount; b++) {
    const structCount = readCount(d, 2, 'struct');
    total += structCount;
    if (total > limits.maxStructs) tooLarge('too many structs');
    const client = decoder.readClient();
    if (seen !== null) {
      // Yjs keeps only the last block of a client: the others would vanish or go pending.
      if (seen.has(client)) reject('client appears twice');
      seen.add(client);
    }
    let clock = decoding.readVarUint(d);
    const structs: WireStruct[] = [];
    for (let i = 0; i < structCount; i++) {
      const info = decoder.readInfo() as number | undefined;
      if (info === undefined) malformed('struct past the end');
      let struct: WireStruct;
      const ref = info & 31;
      if (ref === 0) struct = { kind: 'gc', client, clock, length: decoder.readLen() };
      else if (ref === SKIP)
        struct = { kind: 'skip', client, clock, length: decoding.readVarUint(d) };
      else struct = readItem(decoder, info, client, clock);
      if (struct.length === 0) reject('empty struct');
      if (struct.length > MAX_STRUCT_LENGTH) reject('struct length out of range');
      clock += struct.length;
      if (clock > MAX_CLOCK) reject('clock out of range');
      structs.push(struct);
    }
    blocks.push({ client, structs, next: 0, state: 0 });
  }
  return blocks;
}

function readDeletes(decoder: Y.UpdateDecoderV1, limits: DecodeLimits): WireDeleteRange[] {
  const d = decoder.restDecoder;
  const clientCount = readCount(d, 2, 'delete client');
  const deletes: WireDeleteRange[] = [];
  const seen = clientCount > 1 ? new Set<number>() : null;
  for (let c = 0; c < clientCount; c++) {
    const client = decoding.readVarUint(d);
    if (seen !== null) {
      if (seen.has(client)) reject('delete set lists a client twice');
      seen.add(client);
    }
    const rangeCount = readCount(d, 2, 'delete range');
    if (deletes.length + rangeCount > limits.maxDeleteRanges) tooLarge('too many delete ranges');
    let end = 0;
    for (let i = 0; i < rangeCount; i++) {
      const clock = decoder.readDsClock();
      const length = decoder.readDsLen();
      // Yjs would park a zero-length range past the state as a pending delete set.
      if (length === 0) reject('empty delete range');
      // Yjs always writes a client's ranges sorted and merged. Overlapping ranges would let
      // one small update make the checker walk the same stretch of history again and again.
      if (clock < end) reject('delete ranges overlap');
      end = clock + length;
      if (end > MAX_CLOCK) reject('delete out of range');
      deletes.push({ client, clock, length });
    }
  }
  return deletes;
}

/**
 * Decode a v1 update without touching any document. Throws a Refusal on anything an
 * honest Yjs encoder would not produce; lib0's decoder throws on lengths past the buffer,
 * which is reported as a malformed frame.
 */
export function readWireUpdate(update: Uint8Array, limits: DecodeLimits): WireUpdate {
  const decoder = new Y.UpdateDecoderV1(decoding.createDecoder(update));
  const blocks = readBlocks(decoder, limits);
  const deletes = readDeletes(decoder, limits);
  if (decoding.hasContent(decoder.restDecoder)) malformed('trailing bytes');
  return { blocks, deletes };
}
