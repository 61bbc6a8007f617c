// What a logout removes from this device, so that the next person using the browser profile
// finds nothing of the last user: the copies of their groups (one y-indexeddb database per
// user and group), their records in the app's key-value stores (cached lists and newest
// messages, outbox, queued uploads and their bytes) and the attachment cache. Every
// user-scoped key is `<kind>:<userId>[:…]`.
//
// The closing workspace may still have writes on their way (a throttled save of a group's
// newest messages, a queue update), so the stores handed to the app are guarded: once a user
// is forgotten, writes of that user's keys are dropped until they sign in again.
import type { UserId } from '@canopy/shared';
import type { KvStore } from './idb-kv.js';
import { clearBlobCache } from './blob-cache.js';
import { groupDbPrefix } from './group-db-name.js';
import { log } from '../log.js';

const logger = log.child('device-data');

export interface DeviceData {
  /** The stores to use: writes of a forgotten user's keys are dropped. */
  readonly stores: readonly KvStore[];
  /** Deletes everything of this user on this device. */
  forget(userId: UserId): Promise<void>;
  /** The user signed in again: their writes are kept. */
  welcome(userId: UserId): void;
}

/** The user a key belongs to (undefined for the device's own keys, such as `session`). */
export function userOfKey(key: string): string | undefined {
  return key.split(':')[1];
}

/** Ids of the groups this user has a copy of on this device (their IndexedDB databases). */
export async function groupCopiesOf(userId: UserId): Promise<string[]> {
  if (typeof indexedDB === 'undefined' || !('databases' in indexedDB)) return [];
  const prefix = groupDbPrefix(userId);
  return (await indexedDB.databases())
    .map((d) => d.name ?? '')
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(prefix.length));
}

export function makeDeviceData(stores: readonly KvStore[]): DeviceData {
  const forgotten = new Set<string>();
  const dropped = (key: string): boolean => {
    const user = userOfKey(key);
    return user !== undefined && forgotten.has(user);
  };
  const guarded = stores.map((kv): KvStore => ({
    get: (key) => kv.get(key),
    keys: () => kv.keys(),
    delete: (key) => kv.delete(key),
    set: (key, value) => (dropped(key) ? Promise.resolve() : kv.set(key, value)),
  }));

  async function deleteGroupCopies(userId: UserId): Promise<number> {
    const names = (await groupCopiesOf(userId)).map((id) => groupDbPrefix(userId) + id);
    // A copy still open in this tab (a closing document) is deleted once it closes.
    await Promise.all(
      names.map(
        (name) =>
          new Promise<void>((resolve, reject) => {
            const req = indexedDB.deleteDatabase(name);
            req.onsuccess = () => resolve();
            req.onerror = () => reject(req.error ?? new Error(`cannot delete ${name}`));
          }),
      ),
    );
    return names.length;
  }

  async function deleteKeys(kv: KvStore, userId: UserId): Promise<number> {
    const keys = (await kv.keys()).filter((k) => userOfKey(k) === userId);
    for (const key of keys) await kv.delete(key);
    return keys.length;
  }

  return {
    stores: guarded,
    async forget(userId) {
      forgotten.add(userId);
      const [groups, blobs, ...records] = await Promise.allSettled([
        deleteGroupCopies(userId),
        clearBlobCache(),
        ...stores.map((kv) => deleteKeys(kv, userId)),
      ]);
      let failed = false;
      for (const r of [groups, blobs, ...records]) {
        if (r?.status !== 'rejected') continue;
        failed = true;
        logger.warn('cannot delete local data', { err: String(r.reason) });
      }
      logger.info('deleted local data', {
        groups: groups?.status === 'fulfilled' ? groups.value : 0,
        records: records.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value : 0), 0),
      });
      if (failed) throw new Error('some local data could not be deleted');
    },
    welcome(userId) {
      forgotten.delete(userId);
    },
  };
}
