// What a room's commits announce besides the update itself: new messages and edits or
// deletions of messages (activity events), and the files of deleted messages (released
// after the commit). Collected by the doc's observers into the room's pending writes; the
// observers run inside Yjs transactions, so they log instead of throwing.
import type * as Y from 'yjs';
import { DocRoot } from '@canopy/shared';
import type { GroupId } from '@canopy/shared';
import type { Logger } from '../log.js';
import { collectDeletedAttachments } from './deleted-attachments.js';
import { collectChangedMessages, collectNewMessages } from './room-broadcast.js';
import type { MessageChange } from './room-broadcast.js';
import type { PendingWrites } from './room-batch.js';

/** Starts collecting into `pending()` (read at each event: the room swaps it per flush). */
export function watchMessageEvents(
  doc: Y.Doc,
  pending: () => PendingWrites,
  log: Logger,
  groupId: GroupId,
): void {
  const guarded = (what: string, collect: () => void): void => {
    try {
      collect();
    } catch (err) {
      log.error({ err, groupId }, `could not read ${what}`);
    }
  };
  doc.getArray(DocRoot.messages).observe((event: Y.YArrayEvent<unknown>) =>
    guarded('new or deleted messages', () => {
      collectNewMessages(event, pending().messages);
      collectDeletedAttachments(event.transaction, event.target, pending().deletedAttachments);
    }),
  );
  const changes = (change: MessageChange) => (event: Y.YMapEvent<unknown>) =>
    guarded('changed messages', () => collectChangedMessages(event, change, pending().messages));
  doc.getMap(DocRoot.edits).observe(changes('edit'));
  doc.getMap(DocRoot.deletions).observe(changes('delete'));
}
