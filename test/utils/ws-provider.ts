// The stock y-websocket WebsocketProvider over `ws`, as a Node test client: the session
// cookie and the server's Origin ride on the upgrade request (a browser sends both), and
// BroadcastChannel is off so two providers in one process really talk through the server.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { SYNC_PATH_PREFIX } from '@canopy/shared';
import type { GroupId } from '@canopy/shared';
import { registerCleanup } from './cleanup.js';
import { waitFor, withTimeout } from './wait-for.js';
import type { HttpClient } from './http-client.js';

export { waitFor, withTimeout } from './wait-for.js';

export interface SocketAuth {
  /** Cookie header (read at each connect, so a re-login is picked up) */
  cookie?: () => string;
  /** Origin header; null sends none */
  origin?: string | null;
}

export type WebSocketClass = new (
  address: string | URL,
  protocols?: string | string[],
) => WebSocket;

/** A `ws` WebSocket class that adds the given headers to every upgrade request. */
export function webSocketClass(auth: SocketAuth): WebSocketClass {
  return class AuthedWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      const headers: Record<string, string> = {};
      const cookie = auth.cookie?.() ?? '';
      if (cookie !== '') headers.cookie = cookie;
      if (auth.origin != null) headers.origin = auth.origin;
      super(address, protocols ?? [], { headers });
    }
  };
}

/** `http://host:port` → `ws://host:port/sync` (the provider appends `/<room>`). */
export function syncBaseUrl(serverUrl: string): string {
  const u = new URL(serverUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.origin + SYNC_PATH_PREFIX.replace(/\/$/, '');
}

export interface ProviderOptions {
  doc?: Y.Doc;
  connect?: boolean;
  params?: Record<string, string>;
  /** default: the client's own origin */
  origin?: string | null;
}

/** A connected stock provider for `client` in `groupId`; destroyed by the registered cleanup. */
export function connectProvider(
  client: HttpClient,
  groupId: GroupId | string,
  options: ProviderOptions = {},
): WebsocketProvider {
  const doc = options.doc ?? new Y.Doc();
  const WS = webSocketClass({
    cookie: () => client.cookieHeader(),
    origin: options.origin === undefined ? client.origin : options.origin,
  });
  const provider = new WebsocketProvider(syncBaseUrl(client.baseUrl), groupId, doc, {
    WebSocketPolyfill: WS as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: options.connect ?? true,
    params: options.params ?? {},
    maxBackoffTime: 500,
  });
  registerCleanup(() => {
    provider.destroy();
    doc.destroy();
  });
  return provider;
}

/** Resolves once the provider has completed a sync round with the server. */
export async function waitSynced(provider: WebsocketProvider, timeout = 10_000): Promise<void> {
  if (provider.synced) return;
  await withTimeout(
    new Promise<void>((resolve) => {
      const onSync = (synced: boolean): void => {
        if (synced) {
          provider.off('sync', onSync);
          resolve();
        }
      };
      provider.on('sync', onSync);
    }),
    timeout,
    `provider for ${provider.roomname} to sync`,
  );
}

/** The first permanent close ('closed' event: code in 4400-4499) the provider reports. */
export function nextProviderClose(
  provider: WebsocketProvider,
): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    const onClose = (event: { code: number; reason: string } | null): void => {
      if (event !== null) {
        provider.off('connection-close', onClose);
        resolve({ code: event.code, reason: event.reason });
      }
    };
    provider.on('connection-close', onClose);
  });
}

export interface CloseInfo {
  code: number;
  reason: string;
  /** ms from the call to the close */
  after: number;
}

/**
 * Resolves with the close code of a `ws` socket. Attach it while the socket is open: a
 * socket that already closed cannot tell its code any more (RawClient records it).
 */
export function waitForClose(ws: WebSocket, timeout = 10_000): Promise<CloseInfo> {
  if (ws.readyState === WebSocket.CLOSED) {
    return Promise.reject(new Error('waitForClose: the socket is already closed'));
  }
  const started = Date.now();
  const closed = new Promise<CloseInfo>((resolve) => {
    ws.once('close', (code: number, reason: Buffer) => {
      resolve({ code, reason: reason.toString(), after: Date.now() - started });
    });
  });
  return withTimeout(closed, timeout, 'socket to close');
}

/** Waits until `read()` (e.g. a doc's message ids) deep-equals `expected` as JSON. */
export async function waitForEqual<T>(read: () => T, expected: T, timeout = 20_000): Promise<void> {
  const want = JSON.stringify(expected);
  await waitFor(() => JSON.stringify(read()) === want, {
    timeout,
    message: `value to equal expected (${want.length} chars)`,
  });
}
