// createRelay: the y-websocket relay of the sync-server. Wires the upgrade checks, the
// room registry, connections and the persistence pipeline:
//   frame → guard → applied to the room's Y.Doc at once → queued → ONE transaction for
//   all rooms on the next event-loop turn → per room one merged broadcast → ACK frames.
// Nothing is forwarded before it is committed. No module state: everything lives here.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { CloseCode, groupDoc, isId, MAX_FRAME_BYTES } from '@canopy/shared';
import type { GroupId } from '@canopy/shared';
import type {
  ReleasedAttachment,
  Relay,
  RelayOptions,
  RoomActivity,
  SocketIdentity,
} from './relay-types.js';
import type { DocStore } from './doc-store.js';
import { createSqliteDocStore } from './sqlite-doc-store.js';
import { Room } from './room.js';
import type { RoomBatch } from './room.js';
import { createRoomRegistry } from './room-registry.js';
import { Connection } from './connection.js';
import { createRateLimiter } from './rate-limiter.js';
import { createFlushPipeline } from './flush-pipeline.js';
import { parseSyncPath, refuseUpgrade } from './upgrade.js';
import type { SyncTarget } from './upgrade.js';
import { appendAs, buildMessageRecord, deleteAs, editAs, listRoomMessages } from './message-api.js';
import { DocumentFullError, GroupNotFoundError, RoomUnavailableError } from './relay-errors.js';
import { unusedAttachments } from './deleted-attachments.js';

export const RELAY_DEFAULTS = {
  idleUnloadMs: 30_000,
  /** log rows that trigger a compaction at once (the size rule usually comes first) */
  compactEvery: 10_000,
  /** under load, flushes start at least this far apart (more updates per broadcast) */
  flushGapMs: 4,
  maxDocBytes: 64 * 1024 * 1024,
  maxMessagesPerSecond: 500,
  /** seconds of traffic a connection may burst (an offline client catching up) */
  burstSeconds: 4,
  pingIntervalMs: 30_000,
  maxQueuedFrames: 256,
  maxBufferedBytes: 32 * 1024 * 1024,
} as const;

export function createRelay(options: RelayOptions): Relay {
  const log = options.log.child({ mod: 'relay' });
  const { access } = options;
  const maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
  const maxDocBytes = options.maxDocBytes ?? RELAY_DEFAULTS.maxDocBytes;
  const rate = options.maxMessagesPerSecond ?? RELAY_DEFAULTS.maxMessagesPerSecond;
  const compactEvery = options.compactEvery ?? RELAY_DEFAULTS.compactEvery;
  const store: DocStore = options.store ?? createSqliteDocStore(options.sqlite);
  // ws closes frames past its maxPayload with 1009 (which clients retry); frames between
  // our cap and 2x are closed by Connection with TOO_LARGE, which tells them to stop.
  // 2x bounds what one socket can make the process buffer.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: maxFrameBytes * 2,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const connections = new Set<Connection>();
  const listeners = new Set<(activity: RoomActivity) => void>();
  const releaseListeners = new Set<(released: ReleasedAttachment) => void>();
  /** groups whose stored document failed to build in this process (bounded by groups) */
  const brokenGroups = new Set<GroupId>();
  let closing = false;
  let closed: Promise<void> | null = null;

  const pipeline = createFlushPipeline({
    store,
    log,
    compactEvery,
    flushIntervalMs: options.flushIntervalMs,
    flushGapMs: options.flushGapMs ?? RELAY_DEFAULTS.flushGapMs,
    forget: (room) => registry.forget(room),
    committed: emitActivity,
    // A deleted message's file is released in the same transaction that stores the
    // deletion: a crash cannot leave one without the other.
    withinCommit: (batches) => {
      for (const batch of batches) releaseAttachments(batch);
    },
  });

  const registry = createRoomRegistry({
    store,
    log,
    idleUnloadMs: options.idleUnloadMs ?? RELAY_DEFAULTS.idleUnloadMs,
    makeRoom: (groupId, stored) =>
      new Room(groupId, stored, {
        log,
        access,
        guardFactory: options.guard,
        maxDocBytes,
        onDirty: (room) => pipeline.markDirty(room),
        coldReplies: !brokenGroups.has(groupId),
        onBroken: (room, err) => {
          log.error({ err, groupId }, 'stored document is unusable');
          brokenGroups.add(groupId);
          registry.forget(room);
          room.destroy(CloseCode.ROOM_UNAVAILABLE, 'group document unavailable', err);
        },
      }),
    unload: async (room) => {
      await pipeline.compact(room);
      room.destroy(CloseCode.GOING_AWAY, 'room unloaded');
      log.debug({ groupId: room.groupId }, 'room unloaded');
    },
  });

  const heartbeat = setInterval(() => {
    for (const conn of connections) conn.heartbeat();
  }, options.pingIntervalMs ?? RELAY_DEFAULTS.pingIntervalMs);
  heartbeat.unref();

  function emitActivity(batch: RoomBatch, at: number): void {
    if (listeners.size === 0) return;
    for (const m of batch.messages) {
      const activity: RoomActivity = {
        groupId: batch.room.groupId,
        authorId: m.authorId,
        messageId: m.messageId,
        at,
      };
      if (m.change) activity.change = m.change;
      if (m.mentions) activity.mentions = m.mentions;
      for (const listener of listeners) {
        try {
          listener(activity);
        } catch (err) {
          log.error({ err }, 'activity listener failed');
        }
      }
    }
  }

  /** A server-side write (message API, assistant): resolves once it is stored. */
  async function writeInRoom<T>(groupId: GroupId, write: (room: Room) => T): Promise<T> {
    const room = await openRoom(groupId);
    try {
      const result = write(room);
      await room.whenStored();
      return result;
    } finally {
      registry.release(room);
    }
  }

  function releaseAttachments(batch: RoomBatch): void {
    if (releaseListeners.size === 0 || batch.deletedAttachments.length === 0) return;
    const { room } = batch;
    if (room.destroyed) return;
    const groupId = room.groupId;
    let unused: ReturnType<typeof unusedAttachments>;
    try {
      unused = unusedAttachments(groupDoc(room.doc).messages, batch.deletedAttachments);
    } catch (err) {
      log.error({ err, groupId }, 'cannot tell which attachments were released');
      return;
    }
    for (const a of unused) {
      for (const listener of releaseListeners) {
        try {
          listener({ groupId, userId: a.authorId, sha256: a.sha256 });
        } catch (err) {
          log.error({ err, groupId }, 'attachment release failed');
        }
      }
    }
  }

  function accept(ws: WebSocket, target: SyncTarget, identity: SocketIdentity): void {
    ws.on('error', (err) => log.debug({ err }, 'socket error'));
    const { groupId } = target;
    let answer;
    try {
      answer = access.membership(groupId, identity.userId);
    } catch (err) {
      log.error({ err, groupId }, 'membership check failed');
      ws.close(CloseCode.ROOM_UNAVAILABLE, 'membership check failed');
      return;
    }
    if (answer.kind === 'not-member') return ws.close(CloseCode.NOT_MEMBER, 'not a member');
    if (answer.kind === 'no-group') return ws.close(CloseCode.GROUP_NOT_FOUND, 'no such group');
    if (closing) return ws.close(CloseCode.GOING_AWAY, 'server is shutting down');
    const { role, isBot, conversation } = answer;
    const sender = { userId: identity.userId, role, isBot, conversation };
    const conn = new Connection(ws, groupId, identity, sender, target.wantsAck, {
      log,
      maxFrameBytes,
      maxQueuedFrames: RELAY_DEFAULTS.maxQueuedFrames,
      maxBufferedBytes: RELAY_DEFAULTS.maxBufferedBytes,
      limiter: createRateLimiter(rate, rate * RELAY_DEFAULTS.burstSeconds),
      onClose: (c) => {
        connections.delete(c);
        if (c.room) registry.release(c.room);
      },
    });
    connections.add(conn);
    registry.acquire(groupId).then(
      (room) => {
        try {
          conn.attach(room);
        } catch (err) {
          log.error({ err, groupId }, 'join failed');
          conn.close(CloseCode.ROOM_UNAVAILABLE, 'join failed');
        }
      },
      (err: unknown) => {
        log.error({ err, groupId }, 'room load failed');
        conn.close(CloseCode.ROOM_UNAVAILABLE, 'group document unavailable');
      },
    );
  }

  /** Load (or reuse) a group's room for the HTTP API; release() it when done. */
  async function openRoom(groupId: GroupId): Promise<Room> {
    if (!isId(groupId)) throw new GroupNotFoundError(String(groupId));
    if (closing) throw new RoomUnavailableError('the relay is shutting down');
    if (!(await store.groupExists(groupId))) throw new GroupNotFoundError(groupId);
    let room: Room;
    try {
      room = await registry.acquire(groupId);
    } catch (err) {
      throw new RoomUnavailableError('the group document could not be loaded', { cause: err });
    }
    if (!room.ensureLoaded()) throw new RoomUnavailableError('the group document is unusable');
    return room;
  }

  function closeWhere(match: (conn: Connection) => boolean, code: number, reason: string): void {
    for (const conn of [...connections]) if (match(conn)) conn.close(code, reason);
  }

  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      socket.on('error', (err) => log.debug({ err }, 'upgrade socket error'));
      if (closing) return refuseUpgrade(socket, 503);
      const target = parseSyncPath(req.url);
      if (!target) return refuseUpgrade(socket, 400);
      let originOk = false;
      try {
        originOk = access.isOriginAllowed(req);
      } catch (err) {
        log.error({ err }, 'origin check failed');
      }
      if (!originOk) return refuseUpgrade(socket, 403);
      access.authenticate(req).then(
        (identity) => {
          if (socket.destroyed) return;
          if (!identity) return refuseUpgrade(socket, 401);
          if (closing) return refuseUpgrade(socket, 503);
          wss.handleUpgrade(req, socket, head, (ws) => accept(ws, target, identity));
        },
        (err: unknown) => {
          log.error({ err }, 'authentication failed');
          refuseUpgrade(socket, 500);
        },
      );
    },

    postMessage: (groupId, userId, input) =>
      writeInRoom(groupId, (room) => {
        const record = buildMessageRecord(userId, input);
        if (room.totalBytes >= maxDocBytes) throw new DocumentFullError();
        appendAs(room, userId, record);
        return record;
      }),

    editMessage: (groupId, userId, messageId, text) =>
      writeInRoom(groupId, (room) => {
        if (room.totalBytes >= maxDocBytes) throw new DocumentFullError();
        editAs(room, userId, messageId, text);
      }),

    deleteMessage: (groupId, userId, messageId, moderator) =>
      writeInRoom(groupId, (room) => deleteAs(room, userId, messageId, moderator)),

    async listMessages(groupId, listOptions) {
      const room = await openRoom(groupId);
      try {
        return listRoomMessages(room, listOptions);
      } finally {
        registry.release(room);
      }
    },

    closeUser: (userId, code, reason, exceptSessionId) =>
      closeWhere(
        (c) => c.identity.userId === userId && c.identity.sessionId !== exceptSessionId,
        code,
        reason,
      ),
    renameSession(from, to) {
      for (const conn of connections)
        if (conn.identity.sessionId === from) conn.identity.sessionId = to;
    },
    closeSession: (sessionId, code, reason) =>
      closeWhere((c) => c.identity.sessionId === sessionId, code, reason),
    closeMember: (groupId, userId, code, reason) =>
      closeWhere((c) => c.groupId === groupId && c.identity.userId === userId, code, reason),

    onActivity(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    onAttachmentReleased(listener) {
      releaseListeners.add(listener);
      return () => releaseListeners.delete(listener);
    },

    stats: () => ({ openRooms: registry.size, connections: connections.size }),

    flush: () => pipeline.drain(),

    close() {
      closed ??= (async () => {
        closing = true;
        clearInterval(heartbeat);
        await pipeline.drain();
        closeWhere(() => true, CloseCode.GOING_AWAY, 'server is shutting down');
        await pipeline.drain();
        registry.stop();
        for (const room of [...registry.rooms()]) {
          registry.forget(room);
          await pipeline.compact(room);
          room.destroy(CloseCode.GOING_AWAY, 'server is shutting down');
        }
        pipeline.stop();
        wss.close();
      })();
      return closed;
    },
  };
}
