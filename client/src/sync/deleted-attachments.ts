// A deleted message's file leaves this device's attachment cache too. The service worker
// answers `/api/blobs/<sha>` from its cache without asking the server, so without this a
// deleted photo stayed viewable offline on every device that had shown it, and cached until
// logout. Deletions are seen in the transaction that deletes the record (mine, another
// device's, or one that arrives when the group next syncs): Yjs calls observers before it
// drops the deleted items' content, so the record is still readable there. A file that
// another live message of the group still carries stays.
import { DocRoot, blobUrl, forEachDeletedRecord } from '@canopy/shared';
import type { MessageRecord } from '@canopy/shared';
import type * as Y from 'yjs';
import { BLOB_CACHE } from './blob-cache.js';
import type { MessageMirror } from './message-mirror.js';
import { log } from '../log.js';

const logger = log.child('deleted-attachments');

/** Drops cached copies of files whose messages get deleted; returns the stop function. */
export function evictDeletedAttachments(doc: Y.Doc, mirror: MessageMirror): () => void {
  const messages = doc.getArray<MessageRecord>(DocRoot.messages);
  const observer = (_event: Y.YArrayEvent<MessageRecord>, tr: Y.Transaction): void => {
    const files = new Set<string>();
    forEachDeletedRecord(tr, messages, (value) => {
      const sha = (value as Partial<MessageRecord> | null)?.attachment?.sha256;
      if (typeof sha === 'string') files.add(sha);
    });
    if (files.size > 0) void evict(files);
  };
  const evict = async (files: Set<string>): Promise<void> => {
    if (typeof caches === 'undefined') return;
    await Promise.resolve(); // after the transaction: the mirror has followed the deletion
    for (let i = 0; i < mirror.length && files.size > 0; i++) {
      const sha = mirror.get(i)?.attachment?.sha256;
      if (sha) files.delete(sha);
    }
    if (files.size === 0) return;
    try {
      const cache = await caches.open(BLOB_CACHE);
      // ignoreSearch: downloads are cached as `…?name=<file name>` too.
      for (const sha of files) await cache.delete(blobUrl(sha), { ignoreSearch: true });
    } catch (err) {
      logger.warn('cannot drop a deleted file from the cache', { err: String(err) });
    }
  };
  messages.observe(observer);
  return () => messages.unobserve(observer);
}
