// The service worker's cache of attachments and avatars (`/api/blobs/*`, CacheFirst: blobs
// are content-addressed and immutable; vite.config.ts names it). It is shared by everyone
// who uses this browser profile and answers without asking the server, so it is dropped
// when a session ends: the next person to sign in on the device cannot open what the last
// one had cached. No imports: the build config reads the name too.
export const BLOB_CACHE = 'canopy-blobs';

/** Deletes the cache; resolves false when there is none (or no Cache API). */
export async function clearBlobCache(): Promise<boolean> {
  if (typeof caches === 'undefined') return false;
  return caches.delete(BLOB_CACHE);
}
