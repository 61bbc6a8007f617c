// Opens a group's IndexedDB copy without paying to re-encode it. y-indexeddb listens to
// the document's 'update' event from its constructor on, and while anything listens,
// Yjs encodes every transaction as an update: the load itself too, which re-encodes the
// whole stored document (~0.3 s at 100k messages) only for y-indexeddb to drop it as its
// own. Here its listener is off for exactly the load's transaction and back when the load
// reports 'synced' (synchronously after that transaction's cleanup); any other
// transaction meanwhile is stored as usual.
import type * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';

export function openPersistence(name: string, doc: Y.Doc): IndexeddbPersistence {
  const local = new IndexeddbPersistence(name, doc);
  let detached = false;
  const beforeTransaction = (tr: Y.Transaction): void => {
    if (tr.origin !== local || detached) return;
    detached = true;
    doc.off('update', local._storeUpdate);
  };
  doc.on('beforeTransaction', beforeTransaction);
  local.once('synced', () => {
    doc.off('beforeTransaction', beforeTransaction);
    if (detached && !local._destroyed) doc.on('update', local._storeUpdate);
  });
  return local;
}
