// Whether the relay's answer to a sync step 1 holds anything the asking copy lacks.
import * as Y from 'yjs';

/**
 * Whether a sync step 2 brings items the state vector it answered lacked. It always carries
 * the whole delete set, so a deletion alone reads as "nothing new"; the app's deletions
 * come with a record (a new item), and the page syncs the rest when it opens the group.
 */
export function bringsItems(update: Uint8Array): boolean {
  return Y.parseUpdateMeta(update).to.size > 0;
}
