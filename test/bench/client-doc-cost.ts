// Pure document cost in the page, without the app: Yjs, y-indexeddb and the shared
// appendMessage bundled (esbuild) into one script that is added to a tab of the app's origin.
// It loads the group's document from the very IndexedDB database the app filled, then times
// appendMessage on it. Separates what Yjs itself costs from what the app adds on top.
import path from 'node:path';
import { build } from 'esbuild';
import type { BrowserContext } from 'playwright-core';
import type { GroupId, UserId } from '@canopy/shared';

export interface DocCost {
  size: number;
  /** stock y-indexeddb load (read + apply) of the stored document, ms */
  loadMs: number;
  /** the same load as the app does it (openPersistence, fast ASCII decoding) */
  appLoadMs: number;
  /** appendMessage of one record, ms per call (mean of each batch of 10) */
  appendMs: number[];
}

const ENTRY = `
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { appendMessage } from '@canopy/shared';
import { openPersistence } from './src/sync/open-persistence.ts';
import { installFastAsciiDecoding } from './src/sync/fast-ascii-decoding.ts';
globalThis.__canopyDocProbe = {
  Y, IndexeddbPersistence, openPersistence, installFastAsciiDecoding, appendMessage,
};
`;

let bundled: Promise<string> | null = null;

function probeScript(rootDir: string): Promise<string> {
  bundled ??= build({
    stdin: { contents: ENTRY, resolveDir: path.join(rootDir, 'client'), loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  return bundled;
}

interface ProbeApi {
  Y: { Doc: new () => { destroy(): void } };
  IndexeddbPersistence: new (
    name: string,
    doc: unknown,
  ) => { whenSynced: Promise<unknown>; destroy(): Promise<void> };
  openPersistence(
    name: string,
    doc: unknown,
  ): { whenSynced: Promise<unknown>; destroy(): Promise<void> };
  installFastAsciiDecoding(): boolean;
  appendMessage(doc: unknown, record: Record<string, unknown>): void;
}

export async function measureDocCost(
  context: BrowserContext,
  origin: string,
  rootDir: string,
  me: UserId,
  groupId: GroupId,
  size: number,
  appends: number,
): Promise<DocCost> {
  const page = await context.newPage();
  try {
    // A page of the origin that does not open the group (the login page would redirect).
    await page.goto(`${origin}/manifest.webmanifest`);
    // Evaluated through DevTools: the app's CSP (script-src 'self') refuses inline scripts.
    await page.evaluate(await probeScript(rootDir));
    const result = await page.evaluate(
      async ({ db, me, appends }) => {
        const api = (globalThis as unknown as { __canopyDocProbe: ProbeApi }).__canopyDocProbe;
        const stock = new api.Y.Doc();
        const t0 = performance.now();
        const stockPersistence = new api.IndexeddbPersistence(db, stock);
        await stockPersistence.whenSynced;
        const loadMs = performance.now() - t0;
        await stockPersistence.destroy();
        stock.destroy();
        api.installFastAsciiDecoding();
        const doc = new api.Y.Doc();
        const t1 = performance.now();
        const persistence = api.openPersistence(db, doc);
        await persistence.whenSynced;
        const appLoadMs = performance.now() - t1;
        // Stop persisting: the appends below must not reach the app's database.
        await persistence.destroy();
        // Timer resolution is 0.1 ms here: time batches of 10 appends, report ms per append.
        const appendMs: number[] = [];
        for (let b = 0; b < appends / 10; b++) {
          const records = [...Array(10).keys()].map((j) => ({
            id: `probe${String(b * 10 + j).padStart(16, '0')}`,
            authorId: me,
            createdAt: Date.now(),
            kind: 'text',
            text: `Probe message ${b * 10 + j}: a quick note about the release plan for today`,
          }));
          const s = performance.now();
          for (const record of records) api.appendMessage(doc, record);
          appendMs.push((performance.now() - s) / 10);
        }
        doc.destroy();
        return { loadMs, appLoadMs, appendMs };
      },
      { db: `canopy:${me}:${groupId}`, me, appends },
    );
    return { size, ...result };
  } finally {
    await page.close();
  }
}
