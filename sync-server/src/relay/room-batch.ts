// What a room has applied but not yet stored: the updates since the last flush (as the doc's
// 'update' events emitted them, so re-sent items are not stored twice; stored as one merged
// row), the new client-id bindings, the new and changed messages (for activity events), the
// files of deleted messages and whoever waits for the commit.
import * as Y from 'yjs';
import type { ClientBindingRow, RoomWrite } from './doc-store.js';
import type { NewMessage } from './room-message-events.js';
import type { DeletedAttachment } from './deleted-attachments.js';
import { createDeferred } from './deferred.js';
import type { Deferred } from './deferred.js';

export class PendingWrites {
  updates: Uint8Array[] = [];
  bytes = 0;
  origins = new Set<unknown>();
  bindings: ClientBindingRow[] = [];
  messages: NewMessage[] = [];
  deletedAttachments: DeletedAttachment[] = [];
  private done: Deferred | null = null;

  get empty(): boolean {
    return this.updates.length === 0 && this.bindings.length === 0;
  }

  addUpdate(update: Uint8Array, origins: Iterable<unknown>): void {
    this.updates.push(update);
    this.bytes += update.byteLength;
    for (const origin of origins) this.origins.add(origin);
  }

  /** Settles when this batch is committed (or fails). */
  waiter(): Promise<void> {
    this.done ??= createDeferred();
    return this.done.promise;
  }

  /** The deferred for the flush; created if nobody asked yet, so the room can await it. */
  take(): Deferred {
    this.done ??= createDeferred();
    return this.done;
  }

  /** Nothing to store after all (the queued updates changed nothing): release the waiters. */
  release(): void {
    this.done?.resolve();
    this.done = null;
  }

  /**
   * One log row per room and flush, and the same bytes are then broadcast. Usually the
   * flush's one transaction made one update; a server write in between makes more, merged
   * here once (fewer rows to insert, read back and compact; no second merge).
   */
  write(groupId: RoomWrite['groupId']): RoomWrite {
    const updates = this.updates.length > 1 ? [Y.mergeUpdates(this.updates)] : this.updates;
    return { groupId, updates, bindings: this.bindings };
  }
}
