// The browser side of the client benchmark: the built app in headless Chromium (a persistent
// profile, so IndexedDB is on disk as on a real device), an init script that timestamps the
// moments that matter from inside the page (performance.now() is ms since navigation start),
// and the cold-open measurement. Nothing here changes the app; it only watches the DOM.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { GroupId, MessageId, UserId } from '@canopy/shared';
import type { BrowserGlobals, IdbDatabase, IdbRequest } from './client-dom.js';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface ProbeConfig {
  newestIds: MessageId[];
}

export interface OpenTimes {
  /** first time the newest 50 messages were all in the DOM */
  tail50: number;
  /** first time after the document loaded that the list showed the newest message from it */
  docShown: number | null;
  /** the app's own marks (ms since navigation start) */
  marks: Record<string, number>;
  /** long tasks (> 50 ms) until docShown: count, sum and longest */
  longTasks: { count: number; totalMs: number; maxMs: number };
}

/**
 * Runs in the page before its scripts. Watches the list for the newest messages' rows and
 * the app's marks; records long tasks. Kept cheap: one querySelector per mutation batch.
 */
function probe(config: ProbeConfig): void {
  const { window, document, PerformanceObserver, MutationObserver } =
    globalThis as unknown as BrowserGlobals;
  const ids = config.newestIds;
  const newest = ids[ids.length - 1] ?? '';
  const state = {
    tail50: null as number | null,
    loadedAt: null as number | null,
    docShown: null as number | null,
    longTasks: [] as { start: number; duration: number }[],
  };
  window.__bench = state;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      state.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name.startsWith('canopy:local-loaded:') && state.loadedAt === null)
        state.loadedAt = e.startTime;
    }
  }).observe({ type: 'mark', buffered: true });
  const check = (): void => {
    const now = performance.now();
    if (state.tail50 === null && document.querySelector(`article[data-message-id="${newest}"]`)) {
      const shown = new Set<string>();
      const rows = document.querySelectorAll('article[data-message-id]');
      for (let i = 0; i < rows.length; i++)
        shown.add(rows[i]!.getAttribute('data-message-id') ?? '');
      if (ids.every((id) => shown.has(id))) state.tail50 = now;
    }
    if (state.docShown !== null) return;
    // Backed by the document (not the cached tail of <= 50 rows): the list's inner height
    // covers thousands of rows, and the document's loaded mark was taken.
    const inner = document.querySelector('[role="log"] [role="list"]') as {
      style?: { height: string };
    } | null;
    const docBacked = parseFloat(inner?.style?.height ?? '0') > 20_000;
    const loaded = performance
      .getEntriesByType('mark')
      .some((m) => m.name.startsWith('canopy:local-loaded:'));
    if (loaded && docBacked) state.docShown = now;
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
}

export async function installProbe(page: Page, config: ProbeConfig): Promise<void> {
  await page.addInitScript(probe, config);
}

interface ProbeState {
  tail50: number | null;
  loadedAt: number | null;
  docShown: number | null;
  longTasks: { start: number; duration: number }[];
}

export async function login(
  page: Page,
  origin: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Conversations' }).waitFor({ timeout: 30_000 });
}

const STORE_POLL_MS = 250;

/** First visit: the group syncs from the server into IndexedDB (and the tail cache). */
export async function warmOpen(
  page: Page,
  origin: string,
  me: UserId,
  groupId: GroupId,
  newest: MessageId,
): Promise<void> {
  await page.goto(`${origin}/g/${groupId}`);
  await page.locator(`article[data-message-id="${newest}"]`).waitFor({ timeout: 120_000 });
  await page
    .getByRole('status', { name: 'Connection: Synced' })
    .first()
    .waitFor({ timeout: 120_000 });
  // The document is in its own database; the newest ~50 are kept in the `canopy` kv store.
  // Wait for a tail that ends with the newest message (an earlier save may hold less).
  // page.evaluate awaits the check's promise (waitForFunction would take the promise itself
  // as a truthy answer), so poll it here.
  const stored = ({ db, tailKey, newestId }: { db: string; tailKey: string; newestId: string }) =>
    (async () => {
      const { indexedDB } = globalThis as unknown as BrowserGlobals;
      const open = (name: string): Promise<IdbDatabase> =>
        new Promise((resolve, reject) => {
          const r = indexedDB.open(name);
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(new Error(`cannot open ${name}`, { cause: r.error }));
        });
      const read = <T>(d: IdbDatabase, store: string, op: 'count' | 'get', key?: string) =>
        new Promise<T | undefined>((resolve) => {
          if (!d.objectStoreNames.contains(store)) return resolve(undefined);
          const r = d.transaction(store).objectStore(store)[op](key) as IdbRequest<T>;
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => resolve(undefined);
        });
      const doc = await open(db);
      const kv = await open('canopy');
      const updates = (await read<number>(doc, 'updates', 'count')) ?? 0;
      const tail = await read<{ id: string }[]>(kv, 'kv', 'get', tailKey);
      doc.close();
      kv.close();
      return updates > 0 && Array.isArray(tail) && tail.at(-1)?.id === newestId;
    })();
  const args = {
    db: `canopy:${me}:${groupId}`,
    tailKey: `tail:${me}:${groupId}`,
    newestId: newest,
  };
  const deadline = Date.now() + 60_000;
  while (!(await page.evaluate(stored, args))) {
    if (Date.now() > deadline) throw new Error(`the group ${groupId} was not stored locally`);
    await new Promise((resolve) => setTimeout(resolve, STORE_POLL_MS));
  }
}

/**
 * One cold open: a new tab in the same profile (IndexedDB kept, nothing of the group in
 * memory), straight to the group's URL, until the list shows the document's newest rows.
 */
export async function coldOpen(
  context: BrowserContext,
  origin: string,
  groupId: GroupId,
  config: ProbeConfig,
  options: { offline: boolean; heap: boolean },
): Promise<{ times: OpenTimes; heapBytes: number | null; page: Page }> {
  await context.setOffline(options.offline);
  const page = await context.newPage();
  await installProbe(page, config);
  await page.goto(`${origin}/g/${groupId}`);
  let state: ProbeState;
  try {
    const handle = await page.waitForFunction(
      () => {
        const s = (globalThis as unknown as { __bench?: ProbeState }).__bench;
        return s && s.tail50 !== null && s.docShown !== null ? s : null;
      },
      undefined,
      { timeout: 120_000, polling: 100 },
    );
    state = (await handle.jsonValue()) as ProbeState;
  } catch (err) {
    throw new Error(`cold open did not finish: ${await describePage(page)}`, { cause: err });
  }
  const marks = await page.evaluate(() =>
    Object.fromEntries(
      performance
        .getEntriesByType('mark')
        .filter((m) => m.name.startsWith('canopy:'))
        .map((m) => [m.name.split(':')[1] ?? m.name, m.startTime]),
    ),
  );
  const until = state.docShown ?? Infinity;
  const long = state.longTasks.filter((t) => t.start < until);
  const times: OpenTimes = {
    tail50: state.tail50 ?? NaN,
    docShown: state.docShown,
    marks,
    longTasks: {
      count: long.length,
      totalMs: long.reduce((s, t) => s + t.duration, 0),
      maxMs: long.reduce((m, t) => Math.max(m, t.duration), 0),
    },
  };
  const heapBytes = options.heap ? await heapUsed(page) : null;
  return { times, heapBytes, page };
}

/** JS heap in use after a full GC (CDP), in bytes. */
export async function heapUsed(page: Page, session?: CDPSession): Promise<number> {
  const cdp = session ?? (await page.context().newCDPSession(page));
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    return usage.usedSize;
  } finally {
    if (!session) await cdp.detach();
  }
}

/** What the page shows, for an error message. */
async function describePage(page: Page): Promise<string> {
  return page
    .evaluate(() => {
      const g = globalThis as unknown as BrowserGlobals & {
        __bench?: ProbeState;
        location: { href: string };
      };
      const rows = g.document.querySelectorAll('article[data-message-id]').length;
      const b = g.__bench;
      const text = (g.document.body.textContent ?? '').slice(0, 300);
      return `${g.location.href}: ${rows} rows, tail50 ${b?.tail50}, loadedAt ${b?.loadedAt}, docShown ${b?.docShown}; text: ${text}`;
    })
    .catch((e: unknown) => `(page unreadable: ${String(e)})`);
}
