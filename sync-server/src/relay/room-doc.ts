// The document side of a room that needs no room state: building a Y.Doc from what the
// store returned, and encoding what is stored (never Yjs' pending, not yet integrated items).
import * as Y from 'yjs';
import type { StoredDoc } from './doc-store.js';

/**
 * Y.encodeStateAsUpdate without Yjs' pending (not yet integrated, so not yet stored) items:
 * a client must never receive an item the server has not stored.
 */
export function encodeStored(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const store = doc.store;
  const { pendingStructs, pendingDs } = store;
  store.pendingStructs = null;
  store.pendingDs = null;
  try {
    return Y.encodeStateAsUpdate(doc, stateVector);
  } finally {
    store.pendingStructs = pendingStructs;
    store.pendingDs = pendingDs;
  }
}

/** Apply snapshot + log: one applyUpdate per source, no per-row loop. */
export function fillDoc(doc: Y.Doc, stored: StoredDoc): void {
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  if (stored.updates.length === 1) Y.applyUpdate(doc, stored.updates[0] as Uint8Array);
  else if (stored.updates.length > 1) Y.applyUpdate(doc, Y.mergeUpdates(stored.updates));
}

export function buildDoc(stored: StoredDoc): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  fillDoc(doc, stored);
  return doc;
}
