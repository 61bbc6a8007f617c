// One loaded group document: the Y.Doc, its awareness, its guard and its peers. Owns the
// sync semantics (answer step 1, judge then apply updates, awareness) and the pending
// writes of applied-but-not-yet-stored updates. It never writes to the store and never
// forwards an update before the relay committed it, so no client holds an unstored item.
// Cold start: a room comes back from disk as stored bytes; a new client (empty state
// vector) is answered with the stored snapshot as is, and the Y.Doc is built right after,
// off that client's critical path. Every other frame waits for the build. The updates
// received between two flushes are judged one by one and applied in one transaction when
// the flush takes them (update-queue.ts).
// (~490 lines: the sync state machine, from cold start through judging and applying to the
// hand-off to storage, reads best in one place.)
import * as Y from 'yjs';
import { CloseCode } from '@canopy/shared';
import type { GroupId, UserId } from '@canopy/shared';
import { refreshSender } from './sender-refresh.js';
import { encodeStored, fillDoc } from './room-doc.js';
import type { RoomGuard, UpdateKind } from './update-guard.js';
import type { RoomBatch, RoomDeps, RoomSnapshot } from './room-types.js';
import type { RoomPeer } from './room-peer.js';
import { RoomAwareness } from './room-awareness.js';
import type { StoredDoc } from './doc-store.js';
import type { IncomingFrame } from './protocol.js';
import { encodeSyncStep1, encodeSyncStep2 } from './protocol.js';
import { RoomAcks } from './room-acks.js';
import { broadcastUpdates } from './room-broadcast.js';
import { watchMessageEvents } from './room-message-events.js';
import { PendingWrites } from './room-batch.js';
import { UpdateQueue } from './update-queue.js';
import type { QueuedUpdate } from './update-queue.js';
import type { Deferred } from './deferred.js';

/** Origin of the server's own transactions (message API, assistant). */
export const SERVER_ORIGIN = Symbol('server');
/** Origin of the transaction that applies the peers' updates queued for a flush. */
const QUEUE_ORIGIN = Symbol('queue');
/**
 * ms a cold room waits before building its doc when nothing asks for it earlier. The stock
 * client sends step 1 on open, so this only delays the greeting of unusual clients.
 */
const COLD_GRACE_MS = 500;
const MAX_WAITING_FRAMES = 64;
/** bytes of not-yet-integrable items a room keeps before refusing more (honest: a few KB) */
const MAX_PENDING_BYTES = 1024 * 1024;

export type { RoomBatch, RoomDeps, RoomSnapshot } from './room-types.js';

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly peers = new Set<RoomPeer>();
  readonly awareness = new RoomAwareness(this.doc, this.peers);
  readonly bindings: Map<number, UserId>;
  guard: RoomGuard | null = null;
  storedBytes: number;
  lastUpdateId: number;
  /** log rows written since the last snapshot, and their bytes */
  logRows: number;
  logBytes: number;
  /** Date.now() of the last commit (compaction waits for a quiet moment) */
  lastCommitAt = 0;
  destroyed = false;
  private cold: StoredDoc | null;
  /** step 2 for a client that has nothing (empty state vector); valid until the doc changes */
  private fullStateFrame: Buffer | null = null;
  private buildTimer: NodeJS.Timeout | null = null;
  private buildAt = 0;
  /** cold replies still being written: the build (which blocks) waits for them */
  private coldSends = 0;
  private readonly waiting: [RoomPeer, IncomingFrame][] = [];
  private readonly ungreeted = new Set<RoomPeer>();
  private readonly firstSynced = new WeakSet<RoomPeer>();
  private readonly acks = new RoomAcks(this);
  private pending = new PendingWrites();
  private readonly queue = new UpdateQueue((queue) => this.applyQueue(queue));
  /** peers whose updates the running queue transaction applied */
  private queueOrigins = new Set<RoomPeer>();
  /** the batch being committed (the flush runs one at a time) */
  private inFlight: Deferred | null = null;
  private readonly serverClientIds = new Map<UserId, number>();

  constructor(
    readonly groupId: GroupId,
    stored: StoredDoc,
    private readonly deps: RoomDeps,
  ) {
    this.cold = stored;
    this.bindings = stored.bindings;
    this.storedBytes = stored.storedBytes;
    this.lastUpdateId = stored.lastUpdateId;
    this.logRows = stored.updates.length;
    this.logBytes = stored.updates.reduce((sum, u) => sum + u.byteLength, 0);
  }

  get dirty(): boolean {
    return !this.pending.empty || this.queue.size > 0;
  }

  /** Everything applied is stored (the doc's state vector is the stored one). */
  get settledForAck(): boolean {
    return !this.destroyed && !this.dirty && !this.inFlight;
  }

  /** Bytes stored plus bytes waiting to be stored: what the document size cap counts. */
  get totalBytes(): number {
    return this.storedBytes + this.pending.bytes + this.queue.bytes;
  }

  /** Build the Y.Doc from the stored bytes (once). False if the room is unusable. */
  ensureLoaded(): boolean {
    const stored = this.cold;
    if (!stored) return !this.destroyed;
    this.cold = null;
    if (this.buildTimer) clearTimeout(this.buildTimer);
    this.buildTimer = null;
    try {
      fillDoc(this.doc, stored);
      this.guard =
        this.deps.guardFactory?.({
          groupId: this.groupId,
          doc: this.doc,
          bindings: { get: (id) => this.bindings.get(id) },
        }) ?? null;
    } catch (err) {
      this.deps.onBroken(this, new Error('stored document could not be built', { cause: err }));
      return false;
    }
    this.doc.on('update', this.onDocUpdate);
    watchMessageEvents(this.doc, () => this.pending, this.deps.log, this.groupId);
    for (const peer of this.ungreeted) this.greet(peer);
    this.ungreeted.clear();
    for (const [peer, frame] of this.waiting.splice(0)) this.receive(peer, frame);
    return !this.destroyed;
  }

  join(peer: RoomPeer): void {
    if (this.peers.has(peer)) return;
    this.peers.add(peer);
    this.acks.join(peer);
    if (!this.cold) return this.greet(peer);
    this.ungreeted.add(peer);
    this.scheduleBuild(COLD_GRACE_MS);
  }

  leave(peer: RoomPeer): void {
    if (!this.peers.delete(peer)) return;
    this.acks.leave(peer);
    this.ungreeted.delete(peer);
    this.awareness.removePeer(peer);
  }

  /** Handle one decoded frame; bad input closes that peer with BAD_FRAME. */
  receive(peer: RoomPeer, frame: IncomingFrame): void {
    if (!this.peers.has(peer) || this.destroyed) return;
    try {
      if (!this.cold) return this.dispatch(peer, frame);
      if (frame.kind === 'sync-step1' && this.answerCold(peer, frame.stateVector)) return;
      this.waiting.push([peer, frame]);
      // Past a few frames, stop waiting for the cold replies: build now (bounds memory).
      if (this.waiting.length > MAX_WAITING_FRAMES) this.ensureLoaded();
      else if (this.coldSends === 0) this.scheduleBuild(0);
    } catch (err) {
      this.deps.log.debug({ err, groupId: this.groupId }, 'bad frame');
      peer.close(CloseCode.BAD_FRAME, 'bad frame');
    }
  }

  private dispatch(peer: RoomPeer, frame: IncomingFrame): void {
    if (frame.kind === 'sync-step2' || frame.kind === 'sync-update') {
      return this.receiveUpdate(
        peer,
        frame.update,
        frame.kind === 'sync-step2' ? 'sync-step-2' : 'update',
      );
    }
    // Neither needs the queued updates applied: awareness is separate from the document,
    // and step 2 is sent once everything received before it is stored.
    switch (frame.kind) {
      case 'sync-step1':
        return this.answerStep1(peer, frame.stateVector);
      case 'awareness':
        return this.receiveAwareness(peer, frame.update);
      case 'query-awareness':
        return peer.send(this.awareness.statesFrame());
    }
  }

  /** A new client (empty state vector) of a cold room gets the snapshot bytes as they are. */
  private answerCold(peer: RoomPeer, stateVector: Uint8Array): boolean {
    const stored = this.cold;
    if (!this.deps.coldReplies || !stored?.snapshot || stored.updates.length > 0) return false;
    if (Y.decodeStateVector(stateVector).size > 0) return false;
    this.fullStateFrame ??= encodeSyncStep2(stored.snapshot);
    this.firstSynced.add(peer); // its first ACK follows the greeting, once the doc is built
    this.coldSends++;
    // Build once the reply has left: the build blocks the loop, and the socket only
    // drains its write queue between turns.
    peer.send(this.fullStateFrame, () => {
      this.coldSends--;
      if (this.coldSends === 0) this.scheduleBuild(0);
    });
    return true;
  }

  private scheduleBuild(ms: number): void {
    if (!this.cold) return;
    const at = Date.now() + ms;
    if (this.buildTimer && this.buildAt <= at) return;
    if (this.buildTimer) clearTimeout(this.buildTimer);
    this.buildAt = at;
    this.buildTimer = setTimeout(() => {
      this.buildTimer = null;
      this.ensureLoaded();
    }, ms);
  }

  private greet(peer: RoomPeer): void {
    peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    if (this.awareness.size > 0) peer.send(this.awareness.statesFrame());
    if (peer.wantsAck && this.firstSynced.has(peer)) this.acks.sendStored(peer);
  }

  /** Step 1 → step 2, deferred until everything applied so far is stored. */
  private answerStep1(peer: RoomPeer, stateVector: Uint8Array): void {
    const empty = Y.decodeStateVector(stateVector).size === 0; // throws on garbage: BAD_FRAME
    const first = !this.firstSynced.has(peer);
    this.firstSynced.add(peer);
    const reply = (): void => {
      if (!this.peers.has(peer)) return;
      try {
        // New clients all get the same full-state frame: encoded once, not once per join.
        if (empty) peer.send((this.fullStateFrame ??= encodeSyncStep2(encodeStored(this.doc))));
        else peer.send(encodeSyncStep2(encodeStored(this.doc, stateVector)));
        if (first && peer.wantsAck) this.acks.sendStored(peer);
      } catch (err) {
        this.deps.log.warn({ err, groupId: this.groupId }, 'could not answer sync step 1');
        peer.close(CloseCode.BAD_FRAME, 'bad sync step 1');
      }
    };
    if (!this.dirty && !this.inFlight) reply();
    else this.whenStored().then(reply, () => undefined);
  }

  /** Queue an update from a peer for the next flush's transaction (the size cap counts it). */
  private receiveUpdate(peer: RoomPeer, update: Uint8Array, kind: UpdateKind): void {
    if (this.totalBytes + update.byteLength > this.deps.maxDocBytes) {
      return this.refuse(peer, CloseCode.TOO_LARGE, 'group document is full', update.byteLength);
    }
    this.queue.add({ peer, update, kind });
    this.deps.onDirty(this);
  }

  /** Apply the queued updates in one transaction; a refused peer's later updates are dropped. */
  private applyQueue(queue: QueuedUpdate[]): void {
    if (this.destroyed) return;
    const refused = new Set<RoomPeer>();
    this.queueOrigins = new Set();
    try {
      this.doc.transact(() => {
        for (const { peer, update, kind } of queue) {
          if (refused.has(peer) || this.destroyed) continue;
          try {
            if (this.applyUpdate(peer, update, kind)) this.queueOrigins.add(peer);
            else refused.add(peer);
          } catch (err) {
            this.deps.log.debug({ err, groupId: this.groupId }, 'bad frame');
            peer.close(CloseCode.BAD_FRAME, 'bad frame');
            refused.add(peer);
          }
        }
      }, QUEUE_ORIGIN);
    } finally {
      this.queueOrigins = new Set();
    }
  }

  /** Judge, then apply one update inside the queue's transaction. False: refused. */
  private applyUpdate(peer: RoomPeer, update: Uint8Array, kind: UpdateKind): boolean {
    const member = refreshSender(this.deps.access, this.deps.log, this.groupId, peer);
    if (!member.ok) {
      this.refuse(peer, member.code, member.reason, update.byteLength);
      return false;
    }
    if (this.guard) {
      const verdict = this.guard.checkUpdate(update, peer.sender, kind);
      if (!verdict.ok) {
        this.refuse(peer, verdict.code, verdict.reason, update.byteLength);
        return false;
      }
      for (const clientId of verdict.newClientIds) this.bind(clientId, peer.sender.userId);
    }
    // Integrates at once (the queue's transaction emits 'update' when it ends). Items whose
    // dependencies have not arrived yet stay aside in Yjs' pending store: an honest client
    // does that when it edits right after reconnecting, before its step 2 went out. They
    // are stored once they integrate, and never served before (see encodeStored).
    Y.applyUpdate(this.doc, update, peer);
    const store = this.doc.store;
    const pendingBytes =
      (store.pendingStructs?.update.byteLength ?? 0) + (store.pendingDs?.byteLength ?? 0);
    if (pendingBytes > MAX_PENDING_BYTES) {
      store.pendingStructs = null;
      store.pendingDs = null;
      this.refuse(
        peer,
        CloseCode.UPDATE_REJECTED,
        'too much depends on unknown items',
        update.byteLength,
      );
      return false;
    }
    return true;
  }

  private receiveAwareness(peer: RoomPeer, update: Uint8Array): void {
    const verdict = this.guard
      ? this.guard.checkAwareness(update, peer.sender, peer.awarenessIds)
      : ({ ok: true, update } as const);
    if (verdict.ok === 'drop') {
      this.deps.log.debug({ groupId: this.groupId, reason: verdict.reason }, 'awareness dropped');
    } else if (verdict.ok === false) {
      this.refuse(
        peer,
        verdict.code,
        verdict.reason,
        update.byteLength,
        'relay.awareness_rejected',
      );
    } else {
      this.awareness.apply(peer, verdict.update);
    }
  }

  /**
   * Run a transaction as `userId` with a server-only Yjs client id bound to that user.
   * Never reuse a client's id: two writers on one id would corrupt the document.
   */
  writeAs(userId: UserId, write: (doc: Y.Doc) => void): void {
    if (!this.ensureLoaded()) throw new Error('room is unloaded');
    this.queue.drain();
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
    if (this.dirty) return this.pending.waiter();
    return this.inFlight ? this.inFlight.promise : Promise.resolve();
  }

  /** Hand the pending writes to the flush; null when there is nothing to store. */
  takeBatch(): RoomBatch | null {
    // A destroyed room's doc may build on a failed commit: never store what it holds.
    if (this.destroyed) return null;
    this.queue.drain();
    if (this.pending.empty) {
      this.pending.release();
      return null;
    }
    const p = this.pending;
    this.pending = new PendingWrites();
    const done = p.take();
    this.inFlight = done;
    const write = p.write(this.groupId);
    return {
      room: this,
      write,
      origins: p.origins,
      messages: p.messages,
      deletedAttachments: p.deletedAttachments,
      stateVector: this.acks.batchStateVector(),
      bytes: write.updates.reduce((sum, u) => sum + u.byteLength, 0),
      done,
    };
  }

  /** The batch is stored: forward it (merged, encoded once), then acknowledge it. */
  committed(batch: RoomBatch, lastUpdateId: number | undefined): void {
    this.storedBytes += batch.bytes;
    this.logBytes += batch.bytes;
    this.logRows += batch.write.updates.length;
    this.lastCommitAt = Date.now();
    if (lastUpdateId !== undefined) this.lastUpdateId = lastUpdateId;
    if (batch.write.updates.length > 0) {
      broadcastUpdates(this.peers, batch.write.updates, batch.origins);
      this.acks.committed(batch.stateVector);
    }
    this.settled(batch);
    batch.done.resolve();
  }

  /** The batch is out of the flush (committed or failed). */
  settled(batch: RoomBatch): void {
    if (this.inFlight === batch.done) this.inFlight = null;
  }

  /** The snapshot to compact into, or null when there is nothing to fold right now. */
  snapshot(): RoomSnapshot | null {
    if (this.logRows === 0 || this.dirty || this.inFlight || !this.ensureLoaded()) return null;
    const data = encodeStored(this.doc);
    return {
      data,
      upToId: this.lastUpdateId,
      rows: this.logRows,
      logBytes: this.logBytes,
      bytesBefore: this.storedBytes,
    };
  }

  /** The snapshot replaced its log rows (commits may have happened meanwhile). */
  compacted(snapshot: RoomSnapshot): void {
    this.logRows -= snapshot.rows;
    this.logBytes -= snapshot.logBytes;
    this.storedBytes -= snapshot.bytesBefore - snapshot.data.byteLength;
  }

  /** Unload, store failure or shutdown: close every peer, reject waiters, free memory. */
  destroy(code: number, reason: string, error?: Error): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.buildTimer) clearTimeout(this.buildTimer);
    this.acks.destroy();
    this.queue.clear();
    this.cold = null;
    this.fullStateFrame = null;
    for (const peer of [...this.peers]) peer.close(code, reason);
    this.peers.clear();
    this.pending.take().reject(error ?? new Error(reason));
    this.pending = new PendingWrites();
    this.guard?.destroy();
    this.awareness.destroy();
    this.doc.off('update', this.onDocUpdate);
    this.doc.destroy();
  }

  private bind(clientId: number, userId: UserId): void {
    if (this.bindings.has(clientId)) return;
    this.bindings.set(clientId, userId);
    this.pending.bindings.push({ clientId, userId });
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
    const details = { reason, bytes, code };
    this.deps.access.audit({
      action,
      actorId: peer.identity.userId,
      groupId: this.groupId,
      details,
    });
    peer.close(code, reason);
  }

  // Both handlers run inside Yjs transactions: they must not throw, or the update would be
  // applied without being queued for storage.
  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.fullStateFrame = null;
    this.pending.addUpdate(update, origin === QUEUE_ORIGIN ? this.queueOrigins : [origin]);
    this.deps.onDirty(this);
    try {
      this.guard?.applied?.(update);
    } catch (err) {
      this.deps.log.error({ err, groupId: this.groupId }, 'guard failed to follow an update');
    }
  };
}
