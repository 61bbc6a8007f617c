// One loaded group document: the Y.Doc, its awareness, its guard and its peers.
// Owns the sync semantics (answer step 1, judge then apply updates, awareness) and the
// pending batch of applied-but-not-yet-stored updates. It never writes to the store and
// never forwards an update before the relay has committed it (see commit()), so no
// client can hold an item the server has not stored.
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { CloseCode, DocRoot } from '@canopy/shared';
import type { GroupId, UserId } from '@canopy/shared';
import type { Logger } from '../log.js';
import type { RelayAccess, SocketIdentity } from './relay-types.js';
import type { RoomGuard, RoomGuardFactory, Sender } from './update-guard.js';
import type { ClientBindingRow, RoomWrite, StoredDoc } from './doc-store.js';
import { encodeAck, encodeAwareness, encodeSyncStep1, encodeSyncStep2 } from './protocol.js';
import { broadcastUpdates, collectNewMessages } from './room-broadcast.js';
import type { NewMessage } from './room-broadcast.js';
import { createDeferred } from './deferred.js';
import type { Deferred } from './deferred.js';

/** A socket as the room sees it (implemented by Connection). */
export interface RoomPeer {
  readonly identity: SocketIdentity;
  readonly sender: Sender;
  readonly wantsAck: boolean;
  /** awareness client ids this peer introduced (y-websocket tracks the same) */
  readonly awarenessIds: Set<number>;
  send(frame: Buffer): void;
  close(code: number, reason: string): void;
}

export interface RoomDeps {
  log: Logger;
  access: RelayAccess;
  guardFactory: RoomGuardFactory | null;
  maxDocBytes: number;
  /** the room has something to store: schedule a flush */
  onDirty(room: Room): void;
}

/** What a room hands to the flush: the store write plus what to do after the commit. */
export interface RoomBatch {
  room: Room;
  write: RoomWrite;
  origins: Set<unknown>;
  messages: NewMessage[];
  /** state vector of the doc when the batch was taken = what is stored after the commit */
  stateVector: Uint8Array;
  bytes: number;
  /** settled when the commit succeeded or failed */
  done: Deferred;
}

export interface RoomSnapshot {
  data: Uint8Array;
  /** newest log row folded into the snapshot */
  upToId: number;
  rows: number;
  bytesBefore: number;
}

/** Origin of the server's own transactions (message API, assistant). */
export const SERVER_ORIGIN = Symbol('server');

/** Build the document from snapshot + log: one applyUpdate per source, no per-row loop. */
export function buildDoc(stored: StoredDoc): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  if (stored.updates.length === 1) Y.applyUpdate(doc, stored.updates[0] as Uint8Array);
  else if (stored.updates.length > 1) Y.applyUpdate(doc, Y.mergeUpdates(stored.updates));
  return doc;
}

export class Room {
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<RoomPeer>();
  readonly bindings: Map<number, UserId>;
  readonly guard: RoomGuard | null;
  readonly doc: Y.Doc;
  storedBytes: number;
  lastUpdateId: number;
  /** log rows written since the last snapshot */
  logRows: number;
  destroyed = false;
  private storedStateVector: Uint8Array;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private pendingOrigins = new Set<unknown>();
  private pendingBindings: ClientBindingRow[] = [];
  private pendingMessages: NewMessage[] = [];
  private pendingDone: Deferred | null = null;
  /** the batch being committed (the flush runs one at a time) */
  private inFlight: Deferred | null = null;
  private readonly serverClientIds = new Map<UserId, number>();

  constructor(
    readonly groupId: GroupId,
    stored: StoredDoc,
    private readonly deps: RoomDeps,
  ) {
    const doc = buildDoc(stored);
    this.doc = doc;
    this.bindings = stored.bindings;
    this.storedBytes = stored.storedBytes;
    this.lastUpdateId = stored.lastUpdateId;
    this.logRows = stored.updates.length;
    this.storedStateVector = Y.encodeStateVector(doc);
    this.guard = deps.guardFactory
      ? deps.guardFactory({ groupId, doc, bindings: { get: (id) => this.bindings.get(id) } })
      : null;
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    doc.on('update', this.onDocUpdate);
    doc.getArray(DocRoot.messages).observe(this.onMessages);
  }

  get dirty(): boolean {
    return this.pending.length > 0 || this.pendingBindings.length > 0;
  }

  /** Bytes stored plus bytes waiting to be stored: what the document size cap counts. */
  get totalBytes(): number {
    return this.storedBytes + this.pendingBytes;
  }

  join(peer: RoomPeer): void {
    this.peers.add(peer);
    peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      const ids = Array.from(states.keys());
      peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)));
    }
  }

  leave(peer: RoomPeer): void {
    if (!this.peers.delete(peer)) return;
    if (peer.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
    }
  }

  /** Step 1 → step 2. Deferred until everything applied so far is stored. */
  answerStep1(peer: RoomPeer, stateVector: Uint8Array, firstSync: boolean): void {
    Y.decodeStateVector(stateVector); // throws on garbage: the caller closes with BAD_FRAME
    const reply = (): void => {
      if (!this.peers.has(peer)) return;
      try {
        peer.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector)));
        if (firstSync && peer.wantsAck) peer.send(encodeAck(this.storedStateVector));
      } catch (err) {
        this.deps.log.warn({ err, groupId: this.groupId }, 'could not answer sync step 1');
        peer.close(CloseCode.BAD_FRAME, 'bad sync step 1');
      }
    };
    if (!this.dirty) reply();
    else this.whenStored().then(reply, () => undefined);
  }

  /** Judge, then apply an update from a peer. Returns false when the peer was closed. */
  receiveUpdate(peer: RoomPeer, update: Uint8Array): boolean {
    if (this.totalBytes + update.byteLength > this.deps.maxDocBytes) {
      this.refuse(peer, CloseCode.TOO_LARGE, 'group document is full', update.byteLength);
      return false;
    }
    if (this.guard) {
      const verdict = this.guard.checkUpdate(update, peer.sender);
      if (!verdict.ok) {
        this.refuse(peer, verdict.code, verdict.reason, update.byteLength);
        return false;
      }
      for (const clientId of verdict.newClientIds) this.bind(clientId, peer.sender.userId);
    }
    // Emits 'update' synchronously (onDocUpdate) when the doc changed.
    Y.applyUpdate(this.doc, update, peer);
    const store = this.doc.store;
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      // Structs or deletes that depend on items the server never saw: Yjs would keep them
      // aside and later serve them (unstored) in sync step 2. An in-order socket from an
      // honest client never produces this, so drop them and refuse the update.
      store.pendingStructs = null;
      store.pendingDs = null;
      this.refuse(peer, CloseCode.UPDATE_REJECTED, 'update depends on unknown items', update.byteLength);
      return false;
    }
    return true;
  }

  receiveAwareness(peer: RoomPeer, update: Uint8Array): void {
    const verdict = this.guard
      ? this.guard.checkAwareness(update, peer.sender, peer.awarenessIds)
      : ({ ok: true, update } as const);
    if (verdict.ok === 'drop') {
      this.deps.log.debug({ groupId: this.groupId, reason: verdict.reason }, 'awareness dropped');
      return;
    }
    if (verdict.ok === false) {
      this.refuse(peer, verdict.code, verdict.reason, update.byteLength, 'relay.awareness_rejected');
      return;
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, verdict.update, peer);
  }

  sendAllAwareness(peer: RoomPeer): void {
    const ids = Array.from(this.awareness.getStates().keys());
    peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)));
  }

  /**
   * Run a transaction as `userId` with a server-only Yjs client id bound to that user.
   * Never reuse a client's id: two writers on one id would corrupt the document.
   */
  writeAs(userId: UserId, write: (doc: Y.Doc) => void): void {
    if (this.destroyed) throw new Error('room is unloaded');
    let clientId = this.serverClientIds.get(userId);
    if (clientId === undefined) {
      clientId = this.freshClientId();
      this.serverClientIds.set(userId, clientId);
      this.bind(clientId, userId);
    }
    const previous = this.doc.clientID;
    this.doc.clientID = clientId;
    try {
      this.doc.transact(() => write(this.doc), SERVER_ORIGIN);
    } finally {
      this.doc.clientID = previous;
    }
  }

  /** Resolves once everything applied so far is committed (rejects if the commit failed). */
  whenStored(): Promise<void> {
    if (this.dirty) {
      this.pendingDone ??= createDeferred();
      return this.pendingDone.promise;
    }
    return this.inFlight ? this.inFlight.promise : Promise.resolve();
  }

  /** Hand the pending updates to the flush; null when there is nothing to store. */
  takeBatch(): RoomBatch | null {
    if (!this.dirty) return null;
    const batch: RoomBatch = {
      room: this,
      write: { groupId: this.groupId, updates: this.pending, bindings: this.pendingBindings },
      origins: this.pendingOrigins,
      messages: this.pendingMessages,
      stateVector: Y.encodeStateVector(this.doc),
      bytes: this.pendingBytes,
      done: this.pendingDone ?? createDeferred(),
    };
    this.inFlight = batch.done;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingOrigins = new Set();
    this.pendingBindings = [];
    this.pendingMessages = [];
    this.pendingDone = null;
    return batch;
  }

  /** The batch is stored: forward it (merged, encoded once), then acknowledge it. */
  committed(batch: RoomBatch, lastUpdateId: number | undefined): void {
    this.storedBytes += batch.bytes;
    this.logRows += batch.write.updates.length;
    if (lastUpdateId !== undefined) this.lastUpdateId = lastUpdateId;
    this.storedStateVector = batch.stateVector;
    if (batch.write.updates.length > 0) {
      broadcastUpdates(this.peers, batch.write.updates, batch.origins);
      const ack = encodeAck(batch.stateVector);
      for (const peer of this.peers) if (peer.wantsAck) peer.send(ack);
    }
    this.settled(batch);
    batch.done.resolve();
  }

  /** The batch is out of the flush (committed or failed). */
  settled(batch: RoomBatch): void {
    if (this.inFlight === batch.done) this.inFlight = null;
  }

  /** The snapshot to compact into, or null while something is waiting to be stored. */
  snapshot(): RoomSnapshot | null {
    if (this.dirty || this.inFlight || this.logRows === 0) return null;
    return {
      data: Y.encodeStateAsUpdate(this.doc),
      upToId: this.lastUpdateId,
      rows: this.logRows,
      bytesBefore: this.storedBytes,
    };
  }

  /** The snapshot replaced its log rows (commits may have happened meanwhile). */
  compacted(snapshot: RoomSnapshot): void {
    this.logRows -= snapshot.rows;
    this.storedBytes -= snapshot.bytesBefore - snapshot.data.byteLength;
  }

  /** The store failed or the relay closes: close every peer, reject waiters, free memory. */
  destroy(code: number, reason: string, error?: Error): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const peer of [...this.peers]) peer.close(code, reason);
    this.peers.clear();
    this.pendingDone?.reject(error ?? new Error(reason));
    this.pendingDone = null;
    this.guard?.destroy();
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.off('update', this.onDocUpdate);
    this.doc.destroy();
  }

  private bind(clientId: number, userId: UserId): void {
    if (this.bindings.has(clientId)) return;
    this.bindings.set(clientId, userId);
    this.pendingBindings.push({ clientId, userId });
    this.deps.onDirty(this);
  }

  private freshClientId(): number {
    const words = new Uint32Array(1);
    for (;;) {
      crypto.getRandomValues(words);
      const id = words[0] as number;
      if (!this.bindings.has(id) && !this.doc.store.clients.has(id)) return id;
    }
  }

  private refuse(
    peer: RoomPeer,
    code: number,
    reason: string,
    bytes: number,
    action = 'relay.update_rejected',
  ): void {
    this.deps.access.audit({
      action,
      actorId: peer.identity.userId,
      groupId: this.groupId,
      details: { reason, bytes, code },
    });
    peer.close(code, reason);
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.pending.push(update);
    this.pendingBytes += update.byteLength;
    this.pendingOrigins.add(origin);
    this.guard?.applied?.(update);
    this.deps.onDirty(this);
  };

  private readonly onMessages = (event: Y.YArrayEvent<unknown>): void => {
    collectNewMessages(event, this.pendingMessages);
  };

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const peer = origin as RoomPeer;
    if (this.peers.has(peer)) {
      for (const id of change.added) peer.awarenessIds.add(id);
      for (const id of change.removed) peer.awarenessIds.delete(id);
    }
    const changed = change.added.concat(change.updated, change.removed);
    if (changed.length === 0 || this.peers.size === 0) return;
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    for (const p of this.peers) p.send(frame);
  };
}
