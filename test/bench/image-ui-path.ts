// "Photo to local message" through the app's UI: a bench user signed up and given a group over
// HTTP, logged in through the form, the conversation open. Each run hands a 4000×3000 JPEG
// (made in the page beforehand) to the composer's file input as the file picker does
// (DataTransfer → input.files, then `change`), taking the start time in the page right
// before the dispatch, and records when the "Checking" item, the pending item, its local
// preview (blob: URL, loaded) and the message row after the upload appear.
import type { Browser } from 'playwright-core';
import { login } from './client-page.js';
import { BENCH_PASSWORD, createGroup, signup } from './client-seed.js';
import { PROBE } from './image-probe.js';
import type { Window } from './image-probe.js';
import { installTestImages } from '../utils/page-images.js';

export interface UiMarks {
  /** ms after the files were chosen (change dispatched) */
  checking: number | null;
  /** the pending item (thumbhash placeholder or preview) */
  item: number | null;
  /** its local preview (blob: URL) loaded: the message shows locally */
  preview: number | null;
  /** the message row in the list, after the upload to the server and the commit */
  row: number | null;
}

export interface UiRun {
  marks: UiMarks;
  inputBytes: number;
  /** main thread from the choice until the message showed locally */
  local: Omit<Window, 'start' | 'end'>;
  /** main thread from the choice until the row was in the list */
  full: Omit<Window, 'start' | 'end'>;
}

const ROW_TIMEOUT_MS = 60_000;

// Runs in the page: dispatch, then watch the DOM (mutations, src changes, image loads).
const RUN = `(async ({ stem, timeoutMs }) => {
  const input = document.querySelector('form.composer input[type="file"]');
  if (!input) throw new Error('no file input in the composer');
  const file = new File([globalThis.__photo], stem + '.jpg', { type: 'image/jpeg' });
  const dt = new DataTransfer();
  dt.items.add(file);
  const stopTicker = globalThis.__imageBenchTicker();
  const at = {};
  let id = null, done, fail;
  const finished = new Promise((res, rej) => { done = res; fail = rej; });
  const named = (el) => (el.getAttribute('aria-label') || '').startsWith(stem + '.');
  const check = () => {
    const now = performance.now();
    if (at.checking === undefined &&
        document.querySelector('li.pending-upload.checking[aria-label^="Checking ' + stem + '."]'))
      at.checking = now;
    if (id === null) {
      const li = [...document.querySelectorAll('li.pending-upload[data-message-id]')].find(named);
      if (li) { id = li.getAttribute('data-message-id'); at.item = now; }
    }
    if (id !== null && at.preview === undefined) {
      const img = document.querySelector('li.pending-upload[data-message-id="' + id + '"] img');
      if (img && img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0)
        at.preview = now;
    }
    if (id !== null && at.row === undefined &&
        document.querySelector('[role="log"] article[data-message-id="' + id + '"]')) {
      at.row = now;
      done();
    }
  };
  const mo = new MutationObserver(check);
  mo.observe(document.body, { childList: true, subtree: true, attributes: true,
    attributeFilter: ['src', 'aria-label'] });
  document.addEventListener('load', check, true);
  const timer = setTimeout(() => fail(new Error('no message row after ' + timeoutMs + ' ms: ' +
    JSON.stringify({ id, at }))), timeoutMs);
  input.files = dt.files;
  const t0 = performance.now();
  input.dispatchEvent(new Event('change', { bubbles: true }));
  try { await finished; } finally {
    clearTimeout(timer);
    mo.disconnect();
    document.removeEventListener('load', check, true);
    stopTicker();
  }
  const rel = (t) => (t === undefined ? null : t - t0);
  const shown = at.preview ?? at.item ?? at.row;
  const pick = (w) => ({ longestTaskMs: w.longestTaskMs, maxGapMs: w.maxGapMs, blockers: w.blockers });
  return {
    marks: { checking: rel(at.checking), item: rel(at.item), preview: rel(at.preview), row: rel(at.row) },
    inputBytes: file.size,
    local: pick(globalThis.__imageBenchWindow(t0, shown)),
    full: pick(globalThis.__imageBenchWindow(t0, at.row)),
  };
})`;

export interface UiPathResult {
  warmUp: UiRun;
  runs: UiRun[];
}

/** A fresh context: sign-up, a group, the conversation open and warmed, then `runs` photos. */
export async function measureUiPath(
  browser: Browser,
  origin: string,
  runs: number,
): Promise<UiPathResult> {
  const stamp = Date.now().toString(36);
  const me = await signup(origin, `imgbench${stamp}`, 'Image Bench');
  const friend = await signup(origin, `imgfriend${stamp}`, 'Image Friend');
  const groupId = await createGroup(origin, me, 'Photos', [friend]);
  // Service workers blocked, as in the rest of the benchmark (no precache download meanwhile).
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await page.addInitScript(PROBE);
    await login(page, origin, me.username, BENCH_PASSWORD);
    await page.goto(`${origin}/g/${groupId}`);
    await page.getByRole('heading', { name: 'Photos', exact: true }).waitFor({ timeout: 30_000 });
    await page
      .getByRole('status', { name: 'Connection: Synced' })
      .first()
      .waitFor({ timeout: 30_000 });
    await installTestImages(page);
    // Reaching for the button warms the classifier (the attachment service does it); wait
    // until that is done, then send one unmeasured photo through the same path.
    await page.getByRole('button', { name: 'Attach files' }).hover();
    await page.evaluate('globalThis.canopyMedia.warmClassifier()');
    const once = async (i: number): Promise<UiRun> => {
      await page.evaluate(`(async (seed) => {
        globalThis.__photo = await globalThis.canopyTestImage(
          { kind: 'photo', width: 4000, height: 3000, type: 'image/jpeg', seed });
        globalThis.gc?.();
      })(${100 + i})`);
      return page.evaluate<UiRun>(
        `${RUN}(${JSON.stringify({ stem: `photo-${i}`, timeoutMs: ROW_TIMEOUT_MS })})`,
      );
    };
    const warmUp = await once(0);
    const measuredRuns: UiRun[] = [];
    for (let i = 1; i <= runs; i++) measuredRuns.push(await once(i));
    return { warmUp, runs: measuredRuns };
  } finally {
    await context.close();
  }
}
