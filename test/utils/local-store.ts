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
