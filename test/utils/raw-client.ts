// A wire-level y-websocket client for tests that must send what no honest client sends:
// arbitrary bytes, hand-built sync steps, updates crafted with their own Y.Doc (any
// clientID), spoofed awareness. It mirrors what the server sends into `doc`/`awareness`,
// records ACK frames, and remembers how and when the socket closed.
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { ACK_QUERY_PARAM, MessageType } from '@canopy/shared';
import type { GroupId } from '@canopy/shared';
import { registerCleanup } from './cleanup.js';
import { frames, svCovers } from './wire-frames.js';
import { withTimeout } from './wait-for.js';
import type { HttpClient } from './http-client.js';
import { syncBaseUrl } from './ws-provider.js';

export { encodeAwareness, frames, svCovers } from './wire-frames.js';
export { upgradeStatus } from './upgrade-status.js';

export interface CloseInfo {
  code: number;
  reason: string;
  /** Date.now() at the close */
  at: number;
}

export interface RawConnectOptions {
  /** ask for ACK frames (`?ack=1`) */
  ack?: boolean;
  /** Cookie header; default: the client's cookies */
  cookie?: string;
  /** Origin header; default: the client's origin; null sends none */
  origin?: string | null;
  /** the local document (e.g. with a chosen clientID); default a fresh one */
  doc?: Y.Doc;
  /** answer the server's sync step 1 with our step 2 (default true) */
  answerSyncStep1?: boolean;
  /** register teardown with the test (default true; the fuzzer manages its own sockets) */
  autoCleanup?: boolean;
}

export type ConnectResult =
  | { ok: true; client: RawClient }
  | { ok: false; status: number; body: string }
  | { ok: false; status: 0; body: string; closed: CloseInfo };

export class RawClient {
  readonly ws: WebSocket;
  readonly doc: Y.Doc;
  /** awareness states as the server reported them (our own local state is null) */
  readonly awareness: awarenessProtocol.Awareness;
  /** every frame received, in order */
  readonly received: Uint8Array[] = [];
  /** decoded ACK state vectors, in order */
  readonly acks: Map<number, number>[] = [];
  /** sync step 2 frames received (the first one completes the initial sync) */
  syncStep2Count = 0;
  /** frames from the server that this client could not decode */
  undecodable = 0;
  closeInfo: CloseInfo | null = null;
  readonly closed: Promise<CloseInfo>;
  private readonly answerSyncStep1: boolean;
  private readonly listeners = new Set<() => void>();

  private constructor(ws: WebSocket, doc: Y.Doc, answerSyncStep1: boolean) {
    this.ws = ws;
    this.doc = doc;
    this.answerSyncStep1 = answerSyncStep1;
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
    this.awareness.setLocalState(null);
    this.closed = new Promise((resolve) => {
      ws.on('close', (code: number, reason: Buffer) => {
        this.closeInfo = { code, reason: reason.toString(), at: Date.now() };
        this.awareness.destroy();
        resolve(this.closeInfo);
        this.notify();
      });
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        this.undecodable++;
        return;
      }
      this.onFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
    // An error always precedes a close; the close is what tests look at.
    ws.on('error', () => undefined);
  }

  /** Opens a socket to `/sync/<groupId>`; resolves once open or refused. */
  static async tryConnect(
    client: HttpClient,
    groupId: GroupId | string,
    options: RawConnectOptions = {},
  ): Promise<ConnectResult> {
    const headers: Record<string, string> = {};
    const cookie = options.cookie ?? client.cookieHeader();
    if (cookie !== '') headers.cookie = cookie;
    const origin = options.origin === undefined ? client.origin : options.origin;
    if (origin !== null) headers.origin = origin;
    const query = options.ack ? `?${ACK_QUERY_PARAM}=1` : '';
    const url = `${syncBaseUrl(client.baseUrl)}/${groupId}${query}`;
    const ws = new WebSocket(url, { headers, maxPayload: 64 * 1024 * 1024 });
    const doc = options.doc ?? new Y.Doc();
    const raw = new RawClient(ws, doc, options.answerSyncStep1 ?? true);
    if (options.autoCleanup ?? true) registerCleanup(() => raw.terminate());
    return withTimeout(
      new Promise<ConnectResult>((resolve) => {
        ws.once('open', () => resolve({ ok: true, client: raw }));
        ws.once('unexpected-response', (_req, res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ ok: false, status: res.statusCode ?? 0, body }));
          res.on('error', () => resolve({ ok: false, status: res.statusCode ?? 0, body }));
        });
        void raw.closed.then((closed) => resolve({ ok: false, status: 0, body: '', closed }));
      }),
      10_000,
      `connect to ${url}`,
    );
  }

  /** Connects or throws with the refusal. */
  static async connect(
    client: HttpClient,
    groupId: GroupId | string,
    options: RawConnectOptions = {},
  ): Promise<RawClient> {
    const r = await RawClient.tryConnect(client, groupId, options);
    if (!r.ok) throw new Error(`connection refused: ${JSON.stringify(r)}`);
    return r.client;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves with `check()`'s first truthy value, re-checked on every frame and on close. */
  until<T>(check: () => T, timeout: number, message: string): Promise<NonNullable<T>> {
    const first = check();
    if (first) return Promise.resolve(first);
    let listener: (() => void) | undefined;
    const p = new Promise<NonNullable<T>>((resolve) => {
      listener = () => {
        const v = check();
        if (v) resolve(v);
      };
      this.listeners.add(listener);
    });
    return withTimeout(p, timeout, message).finally(() => {
      if (listener) this.listeners.delete(listener);
    });
  }

  private onFrame(buf: Uint8Array): void {
    this.received.push(buf);
    try {
      this.decodeFrame(buf);
    } finally {
      this.notify();
    }
  }

  private decodeFrame(buf: Uint8Array): void {
    try {
      const decoder = decoding.createDecoder(buf);
      const type = decoding.readVarUint(decoder);
      if (type === MessageType.SYNC) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.SYNC);
        const kind = syncProtocol.readSyncMessage(decoder, encoder, this.doc, 'server');
        if (kind === syncProtocol.messageYjsSyncStep2) this.syncStep2Count++;
        if (kind === syncProtocol.messageYjsSyncStep1 && this.answerSyncStep1 && this.isOpen()) {
          this.ws.send(encoding.toUint8Array(encoder));
        }
      } else if (type === MessageType.AWARENESS) {
        awarenessProtocol.applyAwarenessUpdate(
          this.awareness,
          decoding.readVarUint8Array(decoder),
          'server',
        );
      } else if (type === MessageType.ACK) {
        const sv = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
        this.acks.push(sv);
      } else {
        this.undecodable++;
      }
    } catch {
      this.undecodable++;
    }
  }

  isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends raw bytes (no-op once the socket is closing). Resolves when written. */
  send(bytes: Uint8Array): Promise<void> {
    if (!this.isOpen()) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.send(bytes, { binary: true }, () => resolve());
    });
  }

  sendSyncStep1(stateVector: Uint8Array = Y.encodeStateVector(this.doc)): Promise<void> {
    return this.send(frames.syncStep1(stateVector));
  }
  sendSyncStep2(update: Uint8Array): Promise<void> {
    return this.send(frames.syncStep2(update));
  }
  sendUpdate(update: Uint8Array): Promise<void> {
    return this.send(frames.update(update));
  }
  sendAwareness(update: Uint8Array): Promise<void> {
    return this.send(frames.awareness(update));
  }

  /** Sends sync step 1 and waits for the server's step 2 (the document as the server has it). */
  async sync(timeout = 10_000): Promise<void> {
    const before = this.syncStep2Count;
    await this.sendSyncStep1();
    await this.until(() => this.syncStep2Count > before || this.closeInfo, timeout, 'sync step 2');
    if (this.closeInfo) throw new Error(`closed while syncing: ${JSON.stringify(this.closeInfo)}`);
  }

  /**
   * Runs `change` on the local doc and returns the update it produced (not sent).
   * The local doc keeps the change, as a real client's would.
   */
  craft(change: (doc: Y.Doc) => void): Uint8Array {
    const updates: Uint8Array[] = [];
    const onUpdate = (u: Uint8Array, origin: unknown): void => {
      if (origin !== 'server') updates.push(u);
    };
    this.doc.on('update', onUpdate);
    try {
      this.doc.transact(() => change(this.doc), 'local');
    } finally {
      this.doc.off('update', onUpdate);
    }
    return Y.mergeUpdates(updates);
  }

  /**
   * Probe: sends a sync step 1 and waits for the answer. 'alive' if the server answered,
   * else how the socket closed. Used by the fuzzer to learn the fate of the previous frame.
   */
  async probe(timeout = 5_000): Promise<'alive' | CloseInfo> {
    if (this.closeInfo) return this.closeInfo;
    const before = this.syncStep2Count;
    await this.send(frames.syncStep1(Y.encodeStateVector(this.doc)));
    return this.until(
      () => (this.syncStep2Count > before ? 'alive' : this.closeInfo),
      timeout,
      'probe answer',
    );
  }

  /** The latest ACK covers everything in `doc`'s state vector (or the given one). */
  async waitAcked(
    want: Map<number, number> = Y.decodeStateVector(Y.encodeStateVector(this.doc)),
    timeout = 10_000,
  ): Promise<void> {
    await this.until(
      () => this.acks.some((sv) => svCovers(sv, want)) || this.closeInfo,
      timeout,
      'ACK covering the state vector',
    );
    if (this.closeInfo && !this.acks.some((sv) => svCovers(sv, want))) {
      throw new Error(`closed before the ACK: ${JSON.stringify(this.closeInfo)}`);
    }
  }

  /** Resolves with the close (the socket must close within `timeout`). */
  waitClosed(timeout = 10_000): Promise<CloseInfo> {
    return withTimeout(this.closed, timeout, 'raw socket to close');
  }

  close(code = 1000): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(code);
  }

  terminate(): void {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
    this.doc.destroy();
  }
}
