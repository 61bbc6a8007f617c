// Awareness (presence, typing) bound to the authenticated user. Wire format (y-protocols
// awareness.js): varUint count, then per entry varUint clientID, varUint clock and a JSON
// state as varString (`null` removes the client). A connection may set or remove only
// entries of client ids it introduced itself, or ids bound (in the document, or by an
// earlier accepted presence in this room) to the same user; a state that names a user
// (`user.id` or `userId`) must name the sender. A connection introduces at most a few ids
// (a stock client uses one), so a flood of fresh ids gets nowhere. Stock y-websocket
// clients re-broadcast every awareness change they receive, so foreign entries are normal:
// they are filtered out, a frame left with nothing (or an echo too big to be anything else)
// is dropped. Only undecodable frames and oversized states close the socket.
import { CloseCode } from '@canopy/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { AwarenessVerdict, ClientBindings, Sender } from '../update-guard.js';

export interface AwarenessLimits {
  /** UTF-16 length of one JSON state */
  maxStateLength: number;
  /** entries per frame judged one by one; bigger frames (echoes) are dropped unread */
  maxEntries: number;
  /** presence ids one connection may introduce (a stock client uses one) */
  maxIdsPerConnection: number;
  /** presence ids remembered per user; that user's oldest are forgotten first */
  maxIdsPerUser: number;
}

interface Entry {
  clientId: number;
  clock: number;
  json: string;
}

const TOO_MANY = Symbol('too many entries');

function decodeEntries(
  update: Uint8Array,
  limits: AwarenessLimits,
): Entry[] | string | typeof TOO_MANY {
  try {
    const d = decoding.createDecoder(update);
    const count = decoding.readVarUint(d);
    if (count * 3 > update.length) return 'bad entry count';
    // Only echoes are this big (a stock client re-sends the whole room's presence it was
    // given): nothing in them is the sender's to change, so skip the work and drop them.
    if (count > limits.maxEntries) return TOO_MANY;
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

/**
 * Who introduced each presence id. Ownership outlives a removal (a reconnecting stock
 * client reuses its id), and is bounded per user, not per room: evicting the oldest ids of
 * the user who made too many never frees anyone else's id for a takeover.
 */
function createOwners(maxPerUser: number) {
  const owner = new Map<number, string>();
  const byUser = new Map<string, Set<number>>();
  return {
    get: (clientId: number) => owner.get(clientId),
    claim(clientId: number, userId: string): void {
      if (owner.get(clientId) === userId) return;
      owner.set(clientId, userId);
      let ids = byUser.get(userId);
      if (ids === undefined) byUser.set(userId, (ids = new Set()));
      ids.add(clientId);
      if (ids.size > maxPerUser) {
        const oldest = ids.values().next().value!;
        ids.delete(oldest);
        owner.delete(oldest);
      }
    },
  };
}

export function createAwarenessGuard(
  bindings: ClientBindings,
  limits: AwarenessLimits,
): AwarenessGuard {
  const owners = createOwners(limits.maxIdsPerUser);
  const boundTo = (clientId: number): string | undefined =>
    bindings.get(clientId) ?? owners.get(clientId);

  /** Judge one entry: keep it, skip it, or a verdict for the whole frame. */
  const judgeEntry = (
    entry: Entry,
    sender: Sender,
    own: ReadonlySet<number>,
    introducing: { count: number },
  ): 'keep' | 'skip' | AwarenessVerdict => {
    const bound = boundTo(entry.clientId);
    if (bound !== undefined && bound !== sender.userId) return 'skip';
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
    const mine = bound !== undefined || own.has(entry.clientId);
    if (state === null) return mine ? 'keep' : 'skip'; // nothing of ours to remove
    const claim = claimedUser(state);
    if (claim === false || (claim !== undefined && claim !== sender.userId)) {
      return { ok: 'drop', reason: 'awareness claims another identity' };
    }
    if (mine) return 'keep';
    // A new presence id: a stock client has one per document; a flood gets nowhere.
    if (own.size + introducing.count >= limits.maxIdsPerConnection) return 'skip';
    introducing.count++;
    return 'keep';
  };

  return {
    check(update, sender, own) {
      const entries = decodeEntries(update, limits);
      if (entries === TOO_MANY) return { ok: 'drop', reason: 'too many awareness entries' };
      if (typeof entries === 'string') {
        return { ok: false, code: CloseCode.BAD_FRAME, reason: entries };
      }
      const kept: Entry[] = [];
      const introducing = { count: 0 };
      for (const entry of entries) {
        const verdict = judgeEntry(entry, sender, own, introducing);
        if (verdict === 'keep') kept.push(entry);
        else if (verdict !== 'skip') return verdict;
      }
      if (kept.length === 0) return { ok: 'drop', reason: 'awareness of other clients' };
      for (const entry of kept) owners.claim(entry.clientId, sender.userId);
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
