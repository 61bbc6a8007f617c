// One accepted WebSocket: size cap, rate limit, frame decoding, the queue of frames that
// arrive while the room loads, and keepalive. Every frame is handled inside try/catch:
// nothing a client sends can throw past this file. Sync semantics live in room.ts.
import type { WebSocket } from 'ws';
import { CloseCode } from '@canopy/shared';
import type { GroupId } from '@canopy/shared';
import type { Logger } from '../log.js';
import type { SocketIdentity } from './relay-types.js';
import type { Sender } from './update-guard.js';
import type { Room } from './room.js';
import type { RoomPeer } from './room-peer.js';
import { decodeFrame } from './protocol.js';
import type { RateLimiter } from './rate-limiter.js';

export interface ConnectionOptions {
  log: Logger;
  maxFrameBytes: number;
  /** frames kept while the room loads; more is a flood */
  maxQueuedFrames: number;
  /** a peer this far behind on reading is dropped rather than buffered without bound */
  maxBufferedBytes: number;
  limiter: RateLimiter;
  onClose(conn: Connection): void;
}

// Close reasons are limited to 123 bytes by the WebSocket protocol.
const reasonText = (reason: string): string => Buffer.from(reason).subarray(0, 120).toString();

export class Connection implements RoomPeer {
  readonly awarenessIds = new Set<number>();
  room: Room | null = null;
  closed = false;
  private queue: Buffer[] | null = [];
  private queuedBytes = 0;
  private alive = true;

  constructor(
    private readonly ws: WebSocket,
    readonly groupId: GroupId,
    readonly identity: SocketIdentity,
    public sender: Sender,
    readonly wantsAck: boolean,
    private readonly options: ConnectionOptions,
  ) {
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('close', () => this.onClosed());
    // Socket errors (resets, protocol violations, maxPayload) end this socket only.
    ws.on('error', (err) => {
      options.log.debug({ err, groupId }, 'socket error');
      this.markClosed();
    });
  }

  /** The room is loaded: greet the peer, then replay what arrived meanwhile, in order. */
  attach(room: Room): void {
    if (this.closed) return;
    if (room.destroyed) {
      this.close(CloseCode.ROOM_UNAVAILABLE, 'group document unavailable');
      return;
    }
    this.room = room;
    room.join(this);
    const queued = this.queue ?? [];
    this.queue = null;
    for (const frame of queued) {
      if (this.closed) break;
      this.handle(frame);
    }
  }

  send(frame: Buffer, onSent?: () => void): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return onSent?.();
    if (this.ws.bufferedAmount > this.options.maxBufferedBytes) {
      this.options.log.warn({ groupId: this.groupId }, 'peer too slow, dropping it');
      this.terminate();
      return onSent?.();
    }
    if (onSent) this.ws.send(frame, () => onSent());
    else this.ws.send(frame);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.markClosed();
    try {
      this.ws.close(code, reasonText(reason));
    } catch (err) {
      this.options.log.debug({ err }, 'close failed; terminating');
      this.ws.terminate();
    }
  }

  /** Called by the relay's keepalive timer: a peer that missed one ping is dead. */
  heartbeat(): void {
    if (this.closed) return;
    if (!this.alive) {
      this.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private terminate(): void {
    this.markClosed();
    this.ws.terminate();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = null;
    this.room?.leave(this);
    this.options.onClose(this);
  }

  private onClosed(): void {
    this.markClosed();
  }

  private onMessage(data: unknown, isBinary: boolean): void {
    if (this.closed) return;
    if (!isBinary || !Buffer.isBuffer(data)) {
      this.close(CloseCode.BAD_FRAME, 'binary frames only');
      return;
    }
    if (data.byteLength > this.options.maxFrameBytes) {
      this.close(CloseCode.TOO_LARGE, 'frame too large');
      return;
    }
    if (!this.options.limiter.take()) {
      this.close(CloseCode.RATE_LIMITED, 'too many messages');
      return;
    }
    if (this.queue) {
      this.queuedBytes += data.byteLength;
      const { maxQueuedFrames, maxFrameBytes } = this.options;
      if (this.queue.length >= maxQueuedFrames || this.queuedBytes > 4 * maxFrameBytes) {
        this.close(CloseCode.RATE_LIMITED, 'too much sent while the group loads');
        return;
      }
      this.queue.push(data);
      return;
    }
    this.handle(data);
  }

  private handle(data: Buffer): void {
    const room = this.room;
    if (!room || room.destroyed) return;
    let frame;
    try {
      frame = decodeFrame(data);
    } catch (err) {
      this.options.log.debug(
        { err, groupId: this.groupId, userId: this.identity.userId, bytes: data.byteLength },
        'undecodable frame',
      );
      this.close(CloseCode.BAD_FRAME, 'bad frame');
      return;
    }
    room.receive(this, frame);
  }
}
