// The app's IndexedDB copy of a group, read from the page (the test project compiles without
// the DOM library, so the page-side code is a string).
import type { Page } from 'playwright-core';

/** Records in the `updates` store of the page's local copy of the group open at /g/<id>. */
export function storedUpdates(page: Page): Promise<number> {
  return page.evaluate(`(async () => {
    const groupId = location.pathname.split('/')[2];
    const name = (await indexedDB.databases())
      .map((d) => d.name)
      .find((n) => n && n.startsWith('canopy:') && n.endsWith(':' + groupId));
    if (!name) throw new Error('no local copy of ' + groupId);
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    try {
      return await new Promise((resolve, reject) => {
        const req = db.transaction('updates').objectStore('updates').count();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    } finally {
      db.close();
    }
  })()`);
}

/** What the device holds of one user: group databases and records of the app's key-value stores. */
export function localDataOf(
  page: Page,
  userId: string,
): Promise<{ databases: string[]; records: string[] }> {
  return page.evaluate(`(async () => {
    const userId = ${JSON.stringify(userId)};
    const names = (await indexedDB.databases()).map((d) => d.name || '');
    const databases = names.filter((n) => n.startsWith('canopy:' + userId + ':'));
    const records = [];
    for (const name of ['canopy', 'canopy-uploads']) {
      if (!names.includes(name)) continue;
      const db = await new Promise((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      try {
        const keys = await new Promise((resolve, reject) => {
          const req = db.transaction('kv').objectStore('kv').getAllKeys();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        for (const key of keys) if (String(key).split(':')[1] === userId) records.push(name + '/' + key);
      } finally {
        db.close();
      }
    }
    return { databases, records };
  })()`);
}

/** The signed-in user's id, asked from the server by the page. */
export function myUserId(page: Page): Promise<string> {
  return page.evaluate(`fetch('/api/me').then((r) => r.json()).then((b) => b.user.id)`);
}

/** One record of the app's key-value store (`canopy`/`kv`), as the page reads it. */
export function kvRecord(page: Page, key: string): Promise<unknown> {
  return page.evaluate(`(async () => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('canopy');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    try {
      return await new Promise((resolve, reject) => {
        const req = db.transaction('kv').objectStore('kv').get(${JSON.stringify(key)});
        req.onsuccess = () => resolve(req.result ?? null);
        req.onerror = () => reject(req.error);
      });
    } finally {
      db.close();
    }
  })()`);
}

/** The URLs in the service worker's blob cache ([] before it exists). */
export function blobCacheUrls(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const { caches } = globalThis as unknown as {
      caches: {
        has(name: string): Promise<boolean>;
        open(name: string): Promise<{ keys(): Promise<{ url: string }[]> }>;
      };
    };
    if (!(await caches.has('canopy-blobs'))) return [];
    const cache = await caches.open('canopy-blobs');
    return (await cache.keys()).map((r) => r.url);
  });
}

/** Whether the blob cache holds `path` (with or without a query). */
export async function inBlobCache(page: Page, path: string): Promise<boolean> {
  return (await blobCacheUrls(page)).some((url) => new URL(url).pathname === path);
}
