// The seam between the relay (mechanics: sockets, rooms, persistence, broadcast) and
// the document authority (rules: who may write what). The relay asks a RoomGuard about
// every incoming update and awareness frame *before* applying or forwarding it.
// A guard decides; it never mutates the document and never touches a socket.
import type * as Y from 'yjs';
import type { CloseCode, GroupId, GroupRole, UserId } from '@canopy/shared';

export interface Sender {
  userId: UserId;
  role: GroupRole;
  /** the server-side assistant account */
  isBot: boolean;
  /** a group's owners and admins moderate; in a DM nobody does (see moderatesMessages) */
  conversation: 'group' | 'dm';
}

/** Durable binding of Yjs client ids to users, per group (table client_bindings). */
export interface ClientBindings {
  get(clientId: number): UserId | undefined;
}

export type GuardVerdict =
  | {
      ok: true;
      /** client ids seen for the first time in this update: the relay binds them to the sender */
      newClientIds: number[];
    }
  | { ok: false; code: CloseCode; reason: string };

export type AwarenessVerdict =
  | { ok: true; /** the update to apply and forward (may be a filtered copy) */ update: Uint8Array }
  | { ok: false; code: CloseCode; reason: string }
  | { ok: 'drop'; reason: string };

/**
 * Which message carried an update. A reconnecting stock client uploads everything it wrote
 * offline as one sync step 2, so a guard may allow that more bytes than a live update.
 */
export type UpdateKind = 'update' | 'sync-step-2';

export interface RoomGuard {
  /** Judge a Yjs update (sync step 2 or update payload) from `sender`, against the current doc. */
  checkUpdate(update: Uint8Array, sender: Sender, kind?: UpdateKind): GuardVerdict;
  /**
   * Judge an awareness update from `sender`. `ownClientIds` are the awareness client ids
   * this connection has introduced so far (the relay tracks them, as y-websocket does).
   */
  checkAwareness(
    update: Uint8Array,
    sender: Sender,
    ownClientIds: ReadonlySet<number>,
  ): AwarenessVerdict;
  /** The relay applied an update (from anyone, including the server itself). */
  applied?(update: Uint8Array): void;
  destroy(): void;
}

export interface RoomGuardInput {
  groupId: GroupId;
  /** the room's document, fully loaded */
  doc: Y.Doc;
  bindings: ClientBindings;
}

export type RoomGuardFactory = (room: RoomGuardInput) => RoomGuard;
