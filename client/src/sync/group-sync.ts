// One open group: a Y.Doc persisted in IndexedDB (loaded before any network), one
// WebsocketProvider to `/sync/<groupId>?ack=1`, awareness, the message mirror and the
// delivery state fed by the relay's ACK frames. Yjs only: no UI imports.
//
// The provider is created only after the local load finished (so the first sync step
// already carries the local state vector) and only for groups the server knows (a group
// created offline connects once the outbox registered it).
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { Awareness } from 'y-protocols/awareness';
import {
  ACK_QUERY_PARAM,
  MessageType,
  SYNC_PATH_PREFIX,
  groupDoc,
  shouldReconnect,
} from '@canopy/shared';
import type { GroupId, UserId } from '@canopy/shared';
import { closeReasonOf } from './close-reason.js';
import { groupDbName } from './group-db-name.js';
import type { CloseReason } from './close-reason.js';
import { makeDeliveryState } from './delivery-state.js';
import type { DeliveryState } from './delivery-state.js';
import { createMessageMirror } from './message-mirror.js';
import type { MessageMirror } from './message-mirror.js';
import { log } from '../log.js';
import { foldWhenHidden } from './local-fold.js';
import { openPersistence } from './open-persistence.js';
import { throttle } from './throttle.js';
import { keepAppendFast } from './append-position.js';
import { evictDeletedAttachments } from './deleted-attachments.js';

const logger = log.child('sync');
const ACKED_KEY = 'acked';
const ACKED_SAVE_MS = 1000;

export type SyncStatus = 'loading' | 'local' | 'offline' | 'connecting' | 'synced' | 'closed';

export interface GroupSyncOptions {
  groupId: GroupId;
  user: { id: UserId; name: string };
  /** false for a group the server does not know yet; call connect() later. */
  connect: boolean;
  /** Base WebSocket URL; defaults to this page's origin + /sync. */
  serverUrl?: string;
  /** Settles when the caller has what it paints before the document (the cached tail). */
  beforeLocalLoad?: Promise<unknown>;
}

export interface GroupSync {
  readonly groupId: GroupId;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly mirror: MessageMirror;
  readonly delivery: DeliveryState;
  /** Resolves once the local IndexedDB copy is applied. */
  readonly loaded: Promise<void>;
  status(): SyncStatus;
  closeReason(): CloseReason | null;
  onStatus(fn: (status: SyncStatus) => void): () => void;
  onAck(fn: () => void): () => void;
  connect(): void;
  destroy(): void;
}

export function defaultSyncUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${SYNC_PATH_PREFIX.replace(/\/$/, '')}`;
}

/** Resolves after the next frame was painted (or soon, in a hidden tab without frames). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 50);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });
}

export function openGroupSync(options: GroupSyncOptions): GroupSync {
  const { groupId, user } = options;
  performance.mark(`canopy:open:${groupId}`);
  const doc = new Y.Doc();
  let persistence: IndexeddbPersistence | null = null;
  const awareness = new Awareness(doc);
  awareness.setLocalState({ user: { id: user.id, name: user.name }, typing: false });
  const mirror = createMessageMirror(doc);
  const stopAppendWarmup = keepAppendFast(groupDoc(doc).messages);
  const stopEvicting = evictDeletedAttachments(doc, mirror);
  const delivery = makeDeliveryState();
  let provider: WebsocketProvider | null = null;
  let status: SyncStatus = 'loading';
  let reason: CloseReason | null = null;
  let wantConnect = options.connect;
  let destroyed = false;
  let stopFolding = (): void => undefined;
  const statusListeners = new Set<(s: SyncStatus) => void>();
  const ackListeners = new Set<() => void>();

  const setStatus = (next: SyncStatus): void => {
    if (next === status) return;
    status = next;
    for (const fn of statusListeners) fn(next);
  };

  // Stored at most once a second: an ACK follows every commit. A crash loses at most that
  // second, which only shows "on this device" until the next sync re-acknowledges it.
  let ackedUnsaved = false;
  const saveAcked = (): void => {
    if (!ackedUnsaved) return;
    ackedUnsaved = false;
    void persistence?.set(ACKED_KEY, delivery.encode().slice().buffer).catch((err: unknown) => {
      logger.warn('cannot persist acked state', { groupId, err: String(err) });
    });
  };
  const saveAckedSoon = throttle(saveAcked, ACKED_SAVE_MS);
  window.addEventListener('pagehide', saveAcked);
  const acked = (sv: Map<number, number>): void => {
    if (!delivery.merge(sv)) return;
    for (const fn of ackListeners) fn();
    ackedUnsaved = true;
    saveAckedSoon();
  };

  const startProvider = (): void => {
    if (destroyed || provider || !wantConnect) return;
    const p = new WebsocketProvider(options.serverUrl ?? defaultSyncUrl(), groupId, doc, {
      awareness,
      params: { [ACK_QUERY_PARAM]: '1' },
      // The BroadcastChannel path re-encodes the whole document on every connect (~0.5 s at
      // 100k messages); tabs of one user converge through the relay and IndexedDB instead.
      disableBc: true,
      shouldReconnect: (event) => shouldReconnect(event.code),
    });
    // ACK (Canopy extension): varUint8Array(state vector of what the relay stored).
    p.messageHandlers[MessageType.ACK] = (_encoder, decoder) => {
      acked(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
    };
    // The relay answers our sync step 1 with its own; what it held when we joined was
    // loaded from storage, so it counts as stored too (ACKs only follow new commits).
    const syncHandler = p.messageHandlers[MessageType.SYNC];
    p.messageHandlers[MessageType.SYNC] = (encoder, decoder, prov, emitSynced, type) => {
      const peek = decoding.clone(decoder);
      if (decoding.readVarUint(peek) === 0)
        acked(Y.decodeStateVector(decoding.readVarUint8Array(peek)));
      syncHandler?.(encoder, decoder, prov, emitSynced, type);
    };
    p.on('status', ({ status: s }) => {
      if (s === 'connecting') setStatus('connecting');
      else if (s === 'connected') setStatus(p.synced ? 'synced' : 'connecting');
      else if (status !== 'closed') setStatus(navigator.onLine ? 'connecting' : 'offline');
    });
    p.on('sync', (synced) => {
      if (synced) setStatus('synced');
    });
    p.on('closed', ({ code }) => {
      reason = closeReasonOf(code);
      logger.info('relay closed the group permanently', { groupId, code, reason });
      setStatus('closed');
    });
    provider = p;
    setStatus('connecting');
  };

  const onOnline = (): void => {
    if (!provider || status === 'closed') return;
    // The socket may have survived a short outage: then no status event will come.
    if (provider.wsconnected) setStatus(provider.synced ? 'synced' : 'connecting');
    else provider.connect();
  };
  const onOffline = (): void => {
    if (status !== 'closed' && status !== 'local') setStatus('offline');
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);

  const loaded = (async () => {
    // Applying a big document blocks the main thread; let the caller paint what it has
    // (the cached newest messages) first: wait for it to be read, then for a frame.
    await options.beforeLocalLoad?.catch(() => undefined);
    await afterPaint();
    if (destroyed) return;
    const local = openPersistence(groupDbName(user.id, groupId), doc);
    persistence = local;
    await local.whenSynced;
    if (destroyed) return;
    stopFolding = foldWhenHidden(local);
    // Marks for benchmarks and profiling: open → local copy applied.
    performance.mark(`canopy:local-loaded:${groupId}`);
    const cached: unknown = await local.get(ACKED_KEY).catch(() => undefined);
    if (cached instanceof ArrayBuffer || cached instanceof Uint8Array) {
      try {
        acked(Y.decodeStateVector(new Uint8Array(cached)));
      } catch (err) {
        logger.warn('ignoring a corrupt cached acked state', { groupId, err: String(err) });
      }
    }
    if (destroyed) return;
    setStatus(wantConnect ? (navigator.onLine ? 'connecting' : 'offline') : 'local');
    startProvider();
  })();
  loaded.catch((err: unknown) =>
    logger.error('cannot open local group copy', { groupId, err: String(err) }),
  );

  return {
    groupId,
    doc,
    awareness,
    mirror,
    delivery,
    loaded,
    status: () => status,
    closeReason: () => reason,
    onStatus(fn) {
      statusListeners.add(fn);
      return () => statusListeners.delete(fn);
    },
    onAck(fn) {
      ackListeners.add(fn);
      return () => ackListeners.delete(fn);
    },
    connect() {
      wantConnect = true;
      if (status !== 'loading') startProvider();
    },
    destroy() {
      destroyed = true;
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      awareness.setLocalState(null);
      stopFolding();
      saveAckedSoon.cancel();
      saveAcked();
      window.removeEventListener('pagehide', saveAcked);
      provider?.destroy();
      awareness.destroy();
      mirror.destroy();
      stopAppendWarmup();
      stopEvicting();
      void persistence?.destroy();
      doc.destroy();
    },
  };
}
