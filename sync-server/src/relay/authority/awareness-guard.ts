// Awareness (presence, typing) bound to the authenticated user. Wire format (y-protocols
// awareness.js): varUint count, then per entry varUint clientID, varUint clock and a JSON
// state as varString (`null` removes the client). A connection may set or remove only
// entries of client ids it introduced itself, or ids bound (in the document, or by an
// earlier accepted presence in this room) to the same user; a state that names a user
// (`user.id` or `userId`) must name the sender. Stock y-websocket clients re-broadcast
// every awareness change they receive, so foreign entries are normal: they are filtered
// out, and a frame left with nothing is dropped. Undecodable frames close the socket.
import { CloseCode } from '@canopy/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { AwarenessVerdict, ClientBindings, Sender } from '../update-guard.js';

export interface AwarenessLimits {
  /** UTF-16 length of one JSON state */
  maxStateLength: number;
  /** entries per frame (stock clients echo the whole room's presence on connect) */
  maxEntries: number;
  /** remembered presence owners per room; the oldest are forgotten first */
  maxOwners: number;
}

interface Entry {
  clientId: number;
  clock: number;
  json: string;
}

function decodeEntries(update: Uint8Array, limits: AwarenessLimits): Entry[] | string {
  try {
    const d = decoding.createDecoder(update);
    const count = decoding.readVarUint(d);
    if (count > limits.maxEntries || count * 3 > update.length) return 'bad entry count';
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const json = decoding.readVarString(d);
      entries.push({ clientId, clock, json });
    }
    if (decoding.hasContent(d)) return 'trailing bytes';
    return entries;
  } catch {
    return 'undecodable awareness';
  }
}

/** The identity a state claims, if any; `false` when the claim is malformed. */
function claimedUser(state: object): string | undefined | false {
  const { user, userId } = state as { user?: unknown; userId?: unknown };
  if (userId !== undefined && typeof userId !== 'string') return false;
  let id: unknown;
  if (typeof user === 'object' && user !== null) id = (user as { id?: unknown }).id;
  if (id !== undefined && typeof id !== 'string') return false;
  if (id !== undefined && userId !== undefined && id !== userId) return false;
  return id ?? userId;
}

export interface AwarenessGuard {
  check(update: Uint8Array, sender: Sender, own: ReadonlySet<number>): AwarenessVerdict;
}

export function createAwarenessGuard(
  bindings: ClientBindings,
  limits: AwarenessLimits,
): AwarenessGuard {
  // clientID → user, for presence ids not (yet) bound in the document
  const owners = new Map<number, string>();
  const remember = (clientId: number, userId: string): void => {
    owners.delete(clientId);
    owners.set(clientId, userId);
    if (owners.size > limits.maxOwners) owners.delete(owners.keys().next().value!);
  };

  /** Bound in the document or by presence to another user: not this sender's to touch. */
  const foreign = (clientId: number, sender: Sender): boolean => {
    const bound = bindings.get(clientId) ?? owners.get(clientId);
    return bound !== undefined && bound !== sender.userId;
  };
  const introduced = (clientId: number, own: ReadonlySet<number>): boolean =>
    own.has(clientId) || bindings.get(clientId) !== undefined || owners.has(clientId);

  return {
    check(update, sender, own) {
      const entries = decodeEntries(update, limits);
      if (typeof entries === 'string') {
        return { ok: false, code: CloseCode.BAD_FRAME, reason: entries };
      }
      const kept: Entry[] = [];
      for (const entry of entries) {
        if (foreign(entry.clientId, sender)) continue;
        if (entry.json.length > limits.maxStateLength) {
          return { ok: false, code: CloseCode.TOO_LARGE, reason: 'awareness state too large' };
        }
        let state: unknown;
        try {
          state = JSON.parse(entry.json);
        } catch {
          return { ok: false, code: CloseCode.BAD_FRAME, reason: 'awareness state not JSON' };
        }
        if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
          return { ok: false, code: CloseCode.BAD_FRAME, reason: 'awareness state not an object' };
        }
        if (state !== null) {
          const claim = claimedUser(state);
          if (claim === false || (claim !== undefined && claim !== sender.userId)) {
            return { ok: 'drop', reason: 'awareness claims another identity' };
          }
        } else if (!introduced(entry.clientId, own)) {
          continue; // removing an id nobody introduced: nothing to forward
        }
        kept.push(entry);
      }
      if (kept.length === 0) return { ok: 'drop', reason: 'awareness of other clients' };
      for (const entry of kept) {
        if (entry.json === 'null') owners.delete(entry.clientId);
        else remember(entry.clientId, sender.userId);
      }
      if (kept.length === entries.length) return { ok: true, update };
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, kept.length);
      for (const entry of kept) {
        encoding.writeVarUint(encoder, entry.clientId);
        encoding.writeVarUint(encoder, entry.clock);
        encoding.writeVarString(encoder, entry.json);
      }
      return { ok: true, update: encoding.toUint8Array(encoder) };
    },
  };
}
