// The message records a transaction deleted from the group's `messages` array, read from
// its delete set (the cost follows the update, not the document). Call it from an observer
// of that transaction: Yjs drops the deleted items' content only after observers ran.
import * as Y from 'yjs';

export function forEachDeletedRecord(
  tr: Y.Transaction,
  messages: object,
  fn: (value: unknown) => void,
): void {
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    if (!(struct instanceof Y.Item) || struct.parent !== messages) return;
    if (!(struct.content instanceof Y.ContentAny)) return;
    for (const value of struct.content.arr) fn(value);
  });
}
