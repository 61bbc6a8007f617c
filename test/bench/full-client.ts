// A full Yjs member: the stock provider of each server (y-websocket's WebsocketProvider
// for Canopy, @hocuspocus/provider for Hocuspocus) with its own Y.Doc. It appends real
// messages with appendMessage and records, per benchmark message id, when the message
// appeared in its document (update applied, observer ran).
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { appendMessage, DocRoot } from '@canopy/shared';
import type { MessageRecord } from '@canopy/shared';
import type { DeliveryTracker } from './delivery-tracker.js';
import { MESSAGE_ID_PREFIX } from './update-factory.js';

export type FullClientTarget =
  | { kind: 'canopy'; baseUrl: string; room: string; headers: Record<string, string> }
  | { kind: 'hocuspocus'; url: string; room: string };

export interface FullClient {
  readonly member: number;
  readonly doc: Y.Doc;
  /** resolves once the provider reports its first completed sync */
  readonly synced: Promise<void>;
  /** messages in the document right now */
  messageCount(): number;
  send(record: MessageRecord): void;
  destroy(): void;
}

/** A `ws` class that sends `headers` (cookie, Origin) with the upgrade, as a browser would. */
function headerSocket(headers: Record<string, string>): typeof globalThis.WebSocket {
  const HeaderWebSocket = class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols ?? [], { headers, perMessageDeflate: false });
    }
  };
  return HeaderWebSocket as unknown as typeof globalThis.WebSocket;
}

/** Connects a full client; `tracker` (optional) receives the receipt times. */
export function connectFullClient(
  target: FullClientTarget,
  member: number,
  tracker: DeliveryTracker | null,
  timeoutMs = 30_000,
): FullClient {
  const doc = new Y.Doc();
  const messages = doc.getArray<MessageRecord>(DocRoot.messages);
  if (tracker !== null) {
    messages.observe((event) => {
      const at = performance.now();
      for (const part of event.changes.delta) {
        if (!Array.isArray(part.insert)) continue;
        for (const record of part.insert as MessageRecord[]) {
          const id = record.id;
          if (id.startsWith(MESSAGE_ID_PREFIX))
            tracker.seen(member, Number(id.slice(MESSAGE_ID_PREFIX.length)), at);
        }
      }
    });
  }

  let destroyProvider: () => void;
  let onSynced: (resolve: () => void) => void;
  if (target.kind === 'canopy') {
    const provider = new WebsocketProvider(target.baseUrl, target.room, doc, {
      WebSocketPolyfill: headerSocket(target.headers),
      disableBc: true,
    });
    destroyProvider = () => provider.destroy();
    onSynced = (resolve) => {
      const handler = (isSynced: boolean): void => {
        if (!isSynced) return;
        provider.off('sync', handler);
        resolve();
      };
      provider.on('sync', handler);
    };
  } else {
    const socket = new HocuspocusProviderWebsocket({
      url: target.url,
      WebSocketPolyfill: WebSocket,
    });
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name: target.room,
      document: doc,
    });
    provider.attach();
    destroyProvider = () => {
      provider.destroy();
      socket.destroy();
    };
    onSynced = (resolve) => {
      const handler = ({ state }: { state: boolean }): void => {
        if (!state) return;
        provider.off('synced', handler);
        resolve();
      };
      provider.on('synced', handler);
    };
  }

  const synced = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`member ${member}: full client not synced within ${timeoutMs} ms`)),
      timeoutMs,
    );
    onSynced(() => {
      clearTimeout(timer);
      resolve();
    });
  });

  return {
    member,
    doc,
    synced,
    messageCount: () => messages.length,
    send: (record) => appendMessage(doc, record),
    destroy: () => {
      destroyProvider();
      doc.destroy();
    },
  };
}
