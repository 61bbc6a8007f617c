// An incremental view model of a group's `messages` Y.Array: parallel plain arrays of the
// records and of the Yjs id (client, clock) that holds each one. Appends (the common case)
// cost O(new items): we look up the last mirrored item by id and walk right from it, and
// never compute event.delta (which walks the whole list). Anything else (a deletion, a
// concurrent insert before our tail after a reconnect) rebuilds in one walk.
import * as Y from 'yjs';
import { DocRoot } from '@canopy/shared';
import type { MessageId, MessageRecord } from '@canopy/shared';

export type MirrorChange = { type: 'append'; from: number; count: number } | { type: 'reset' };

export interface MessageMirror {
  readonly length: number;
  get(index: number): MessageRecord | undefined;
  /** Yjs client id and clock of the item holding message `index` (for delivery acks). */
  clientAt(index: number): number;
  clockAt(index: number): number;
  /** Index of a message id, searching from the newest (markers point near the end). */
  indexOf(id: MessageId): number;
  subscribe(listener: (change: MirrorChange) => void): () => void;
  destroy(): void;
}

export function createMessageMirror(doc: Y.Doc): MessageMirror {
  const arr = doc.getArray<MessageRecord>(DocRoot.messages);
  let records: MessageRecord[] = [];
  let clients: number[] = [];
  let clocks: number[] = [];
  let indexCache = new Map<MessageId, number>();
  const listeners = new Set<(change: MirrorChange) => void>();

  const pushItem = (item: Y.Item): void => {
    const content = item.content.getContent() as MessageRecord[];
    for (let k = 0; k < content.length; k++) {
      records.push(content[k] as MessageRecord);
      clients.push(item.id.client);
      clocks.push(item.id.clock + k);
    }
  };

  const rebuild = (): void => {
    records = [];
    clients = [];
    clocks = [];
    indexCache = new Map();
    for (let item = arr._start; item !== null; item = item.right) {
      if (!item.deleted && item.countable) pushItem(item);
    }
  };

  /** Tries the append fast path; returns false when a rebuild is needed. */
  const tryAppend = (tr: Y.Transaction): boolean => {
    const n = records.length;
    if (n === 0) return false;
    let touched = false;
    Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
      if (struct instanceof Y.Item && struct.parent === arr) touched = true;
    });
    if (touched) return false;
    const lastClient = clients[n - 1] as number;
    const lastClock = clocks[n - 1] as number;
    let tail: Y.Item | Y.GC;
    try {
      tail = Y.getItem(doc.store, Y.createID(lastClient, lastClock));
    } catch {
      return false;
    }
    if (!(tail instanceof Y.Item) || tail.deleted) return false;
    if (tail.id.clock + tail.length - 1 !== lastClock) return false;
    for (let item = tail.right; item !== null; item = item.right) {
      if (item.deleted || !item.countable) continue;
      // Everything right of our tail must be new in this transaction.
      if (item.id.clock < (tr.beforeState.get(item.id.client) ?? 0)) return false;
      pushItem(item);
    }
    return records.length === arr.length;
  };

  const emit = (change: MirrorChange): void => {
    for (const l of listeners) l(change);
  };

  const observer = (_event: Y.YArrayEvent<MessageRecord>, tr: Y.Transaction): void => {
    const before = records.length;
    if (tryAppend(tr)) {
      if (records.length > before)
        emit({ type: 'append', from: before, count: records.length - before });
      return;
    }
    rebuild();
    emit({ type: 'reset' });
  };

  rebuild();
  arr.observe(observer);

  return {
    get length() {
      return records.length;
    },
    get: (i) => records[i],
    clientAt: (i) => clients[i] ?? -1,
    clockAt: (i) => clocks[i] ?? -1,
    indexOf(id) {
      const cached = indexCache.get(id);
      if (cached !== undefined && records[cached]?.id === id) return cached;
      for (let i = records.length - 1; i >= 0; i--) {
        if (records[i]?.id === id) {
          indexCache.set(id, i);
          return i;
        }
      }
      return -1;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      arr.unobserve(observer);
      listeners.clear();
    },
  };
}
