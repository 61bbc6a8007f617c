// The items a transaction added to one shared type, found from the struct store between the
// transaction's before- and after-state: the cost follows the update, not the document
// (YEvent.changes walks the whole list). Map.forEach, not for…of over the entries: the
// state maps hold every writer of the document (hundreds), and each entry of a for…of
// allocates an array, on every transaction.
import * as Y from 'yjs';

/** Calls `fn` with each item of `parent` that `tr` added, and the added offsets [from, to). */
export function forEachAddedItem(
  tr: Y.Transaction,
  parent: object,
  fn: (item: Y.Item, from: number, to: number) => void,
): void {
  const clients = tr.doc.store.clients;
  tr.afterState.forEach((after, client) => {
    const before = tr.beforeState.get(client) ?? 0;
    if (after <= before) return;
    const structs = clients.get(client);
    if (structs === undefined) return;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const s = structs[i]!;
      if (s.id.clock >= after) break;
      if (s instanceof Y.Item && s.parent === parent) {
        fn(s, Math.max(0, before - s.id.clock), Math.min(s.length, after - s.id.clock));
      }
    }
  });
}
