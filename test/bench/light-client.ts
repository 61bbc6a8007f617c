// A wire-level member: completes the initial sync, sends pre-generated real Yjs updates,
// and counts what it receives without applying it (applying 1,000 updates/s in each of
// 200 Y.Docs would saturate the generator long before the server). A received update
// frame is searched for benchmark message ids (`BENCH` + digits, stored verbatim as
// strings inside the Yjs update), which gives a per-message receipt time.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { DeliveryTracker } from './delivery-tracker.js';
import { MESSAGE_ID_DIGITS, MESSAGE_ID_PREFIX } from './update-factory.js';
import type { WireFormat } from './wire-formats.js';

const MARKER = Buffer.from(MESSAGE_ID_PREFIX, 'latin1');
const DIGIT_0 = 48;

export interface LightClientOptions {
  url: string;
  headers: Record<string, string>;
  wire: WireFormat;
  /** the state vector the client presents in sync step 1 (what it already has cached) */
  stateVector: Uint8Array;
  member: number;
  tracker: DeliveryTracker;
  timeoutMs?: number;
  /** frames that are neither sync nor update (acks, sync status, awareness) */
  onOtherFrame?: (frame: Buffer) => void;
}

export class LightClient {
  readonly member: number;
  framesReceived = 0;
  bytesReceived = 0;
  closeCode: number | null = null;
  closeReason = '';
  private readonly ws: WebSocket;
  private readonly options: LightClientOptions;
  private syncedResolve: (() => void) | null = null;

  private constructor(options: LightClientOptions) {
    this.options = options;
    this.member = options.member;
    this.ws = new WebSocket(options.url, { headers: options.headers, perMessageDeflate: false });
  }

  /** Connects and resolves once the server answered sync step 1. */
  static async connect(options: LightClientOptions): Promise<LightClient> {
    const client = new LightClient(options);
    await client.handshake(options.timeoutMs ?? 20_000);
    return client;
  }

  private handshake(timeoutMs: number): Promise<void> {
    const { ws, options } = this;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`member ${this.member}: no initial sync within ${timeoutMs} ms`));
        ws.terminate();
      }, timeoutMs);
      this.syncedResolve = () => {
        clearTimeout(timer);
        resolve();
      };
      ws.on('open', () => {
        for (const frame of options.wire.hello(options.stateVector)) ws.send(frame);
      });
      ws.on('message', (data: Buffer) => this.onFrame(data));
      ws.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        clearTimeout(timer);
        reject(new Error(`member ${this.member}: closed ${code} ${this.closeReason}`));
      });
      ws.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  private onFrame(data: Buffer): void {
    const at = performance.now();
    this.framesReceived++;
    this.bytesReceived += data.length;
    const kind = this.options.wire.classify(data);
    if (kind === 'update') {
      this.scan(data, at);
    } else if (kind === 'step1') {
      this.ws.send(this.options.wire.step2Reply());
    } else if (kind === 'step2') {
      // A step 2 after the initial sync (a re-sync) may carry benchmark messages too.
      if (this.syncedResolve === null) this.scan(data, at);
      else {
        this.syncedResolve();
        this.syncedResolve = null;
      }
    } else {
      this.options.onOtherFrame?.(data);
    }
  }

  private scan(data: Buffer, at: number): void {
    const { tracker } = this.options;
    let pos = data.indexOf(MARKER);
    while (pos >= 0) {
      const start = pos + MARKER.length;
      let seq = 0;
      let ok = start + MESSAGE_ID_DIGITS <= data.length;
      for (let i = 0; ok && i < MESSAGE_ID_DIGITS; i++) {
        const digit = data[start + i]! - DIGIT_0;
        if (digit < 0 || digit > 9) ok = false;
        else seq = seq * 10 + digit;
      }
      if (ok) tracker.seen(this.member, seq, at);
      pos = data.indexOf(MARKER, start);
    }
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: Uint8Array): void {
    this.ws.send(frame);
  }

  /** Bytes queued in the socket but not yet written (back-pressure from the server). */
  get buffered(): number {
    return this.ws.bufferedAmount;
  }

  close(): void {
    this.ws.removeAllListeners('close');
    this.ws.on('error', () => {});
    this.ws.close(1000);
  }
}
