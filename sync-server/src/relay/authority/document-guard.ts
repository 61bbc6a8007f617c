// The document authority: decides, for every incoming Yjs update and awareness frame,
// whether this group member may write it. Order of checks per update: size cap (before
// any decoding) → bounded decode → identity (client ids bound to the sender) → causality
// and parents (nothing may end up pending) → records (shape, authorship, keys) → the delete
// set. It reads the room's document and never mutates it; the relay applies what passes.
// Cost per update is proportional to the update, not to the document.
import { CloseCode, MAX_FRAME_BYTES, moderatesMessages } from '@canopy/shared';
import type { CloseCode as CloseCodeValue } from '@canopy/shared';
import * as Y from 'yjs';
import type {
  ClientBindings,
  GuardVerdict,
  RoomGuard,
  RoomGuardFactory,
  RoomGuardInput,
  Sender,
  UpdateKind,
} from '../update-guard.js';
import { createAwarenessGuard } from './awareness-guard.js';
import type { AwarenessLimits } from './awareness-guard.js';
import { readWireUpdate } from './decode-update.js';
import type { WireUpdate } from './decode-update.js';
import { checkDeletes } from './delete-rules.js';
import type { DeleteContext } from './delete-rules.js';
import { createMessageIndex } from './message-index.js';
import { checkMapItems, collectMessages } from './record-rules.js';
import { Refusal, malformed, reject, tooLarge } from './refusal.js';
import { resolveStructs } from './resolve-structs.js';
import { createRootNames } from './root-names.js';

export interface DocumentGuardOptions {
  /** byte length of one live update, checked before decoding (default 512 KiB) */
  maxUpdateBytes?: number;
  /**
   * byte length of a sync step 2 (default: the relay's frame cap, 1 MiB): a stock client's
   * offline catch-up arrives as one. Any client may send a sync step 2 at any time, so this
   * is the bound decoding must withstand; the smaller live cap is policy.
   */
  maxSyncStep2Bytes?: number;
  /** structs in one update (default 50,000) */
  maxStructs?: number;
  /** delete-set ranges in one live update (default 200,000) */
  maxDeleteRanges?: number;
  /**
   * delete-set ranges in one sync step 2 (default 1,000,000): a stock client's catch-up
   * carries the document's whole delete set, which grows with every replaced read marker,
   * so this must not lock honest members out of a long-lived group. ~50 bytes each while
   * decoding; the byte cap bounds it too.
   */
  maxSyncStep2DeleteRanges?: number;
  /** client ids an update may introduce (default 256: offline sessions merge) */
  maxNewClientIds?: number;
  /** other members' messages a moderator may delete in one update (default 100) */
  maxModerationDeletes?: number;
  awareness?: Partial<AwarenessLimits>;
}

const DEFAULTS = {
  maxUpdateBytes: 512 * 1024,
  maxSyncStep2Bytes: MAX_FRAME_BYTES,
  maxStructs: 50_000,
  maxDeleteRanges: 200_000,
  maxSyncStep2DeleteRanges: 1_000_000,
  maxNewClientIds: 256,
  maxModerationDeletes: 100,
} as const;

const AWARENESS_DEFAULTS: AwarenessLimits = {
  maxStateLength: 8 * 1024,
  maxEntries: 4096,
  maxIdsPerConnection: 8,
  maxIdsPerUser: 64,
};

/** Client ids of the update's structs: each bound to the sender, or new (returned). */
function checkIdentity(
  update: WireUpdate,
  sender: Sender,
  bindings: ClientBindings,
  doc: Y.Doc,
  maxNew: number,
): number[] {
  const fresh: number[] = [];
  for (const block of update.blocks) {
    if (block.structs.every((s) => s.kind === 'skip')) continue;
    const bound = bindings.get(block.client);
    if (bound === sender.userId) continue;
    if (bound !== undefined) reject('client id of another user');
    // An unbound id the document already has structs for was never a member's (the
    // server's own writes, or history from before bindings): nobody may take it over.
    if (Y.getState(doc.store, block.client) > 0) reject('client id with foreign history');
    fresh.push(block.client);
    if (fresh.length > maxNew) tooLarge('too many new client ids');
  }
  return fresh;
}

function refused(code: CloseCodeValue, reason: string): GuardVerdict {
  return { ok: false, code, reason };
}

export function createDocumentGuard(options: DocumentGuardOptions = {}): RoomGuardFactory {
  const limits = { ...DEFAULTS, ...options };
  const awarenessLimits = { ...AWARENESS_DEFAULTS, ...options.awareness };

  return ({ doc, bindings }: RoomGuardInput): RoomGuard => {
    const roots = createRootNames(doc);
    const index = createMessageIndex(doc);
    const awareness = createAwarenessGuard(bindings, awarenessLimits);

    // One context per room, refilled per update: the hot path allocates no closures.
    let fresh = new Map<string, string>(); // this update's new messages: id → author
    const ctx: DeleteContext = {
      sender: {
        userId: '' as Sender['userId'],
        role: 'member',
        isBot: false,
        conversation: 'group',
      },
      moderator: false,
      authorOf: (id) => fresh.get(id) ?? index.authorOf(id),
      currentValue: (root, key) => roots.typeOf(root)?._map.get(key),
      ownerOf: (client) => bindings.get(client),
      doc,
      roots,
      endState: new Map(),
      maxModerationDeletes: limits.maxModerationDeletes,
    };
    const knownAuthor = (id: string) => index.authorOf(id);

    const syncStep2Limits = { ...limits, maxDeleteRanges: limits.maxSyncStep2DeleteRanges };
    const decode = (update: Uint8Array, kind: UpdateKind): WireUpdate => {
      try {
        return readWireUpdate(update, kind === 'sync-step-2' ? syncStep2Limits : limits);
      } catch (err) {
        if (err instanceof Refusal) throw err;
        // lib0 errors (end of buffer, integer out of range), stack overflow on a deeply
        // nested value: the bytes are not a valid update.
        return malformed('undecodable update');
      }
    };

    const judge = (update: Uint8Array, sender: Sender, kind: UpdateKind): number[] => {
      fresh = new Map();
      const wire = decode(update, kind);
      const newClientIds = checkIdentity(wire, sender, bindings, doc, limits.maxNewClientIds);
      const { endState, items } = resolveStructs(wire, doc, roots);
      fresh = collectMessages(items, sender, knownAuthor);
      ctx.sender = sender;
      ctx.moderator = moderatesMessages(sender.conversation, sender.role);
      ctx.endState = endState;
      checkMapItems(items, ctx);
      if (wire.deletes.length > 0) checkDeletes(wire.deletes, ctx);
      return newClientIds;
    };

    return {
      checkUpdate(update, sender, kind = 'update') {
        const cap = kind === 'sync-step-2' ? limits.maxSyncStep2Bytes : limits.maxUpdateBytes;
        if (update.byteLength > cap) {
          return refused(CloseCode.TOO_LARGE, 'update too large');
        }
        try {
          const newClientIds = judge(update, sender, kind);
          index.accepted(fresh);
          return { ok: true, newClientIds };
        } catch (err) {
          if (err instanceof Refusal) return refused(err.code, err.reason);
          // A decoded update the rules could not judge (a Yjs lookup failed on a shape no
          // client produces): refuse it rather than apply what was not verified.
          return refused(CloseCode.UPDATE_REJECTED, 'unverifiable update');
        }
      },
      checkAwareness(update, sender, ownClientIds) {
        return awareness.check(update, sender, ownClientIds);
      },
      destroy() {
        index.destroy();
      },
    };
  };
}
