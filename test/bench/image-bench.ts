// Image benchmark (`npm run bench:image`): the built client served by the real sync-server, in
// headless Chromium. Measures the classifier worker (model load, first inference, warm
// inference on a 224×224 input, 50+ runs) and prepareImage on a 12-megapixel JPEG made in the
// page, with the longest main-thread task while it runs; then the user's path through the UI
// (image-ui-path.ts): photo chosen → message shown locally. Prints a table next to the
// targets; asserts nothing. JSON goes to test/bench/results/image-latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './client-page.js';
import { startBenchServer } from './client-seed.js';
import { PROBE, measured, percentile } from './image-probe.js';
import type { Window } from './image-probe.js';
import { printReport, summarizeUi } from './image-report.js';
import type { ImageResult } from './image-report.js';
import { measureUiPath } from './image-ui-path.js';
import { installTestImages } from '../utils/page-images.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const INFERENCE_RUNS = quick ? 20 : 60;
const PHOTO_RUNS = quick ? 2 : 5;

interface PhotoRun extends Window {
  totalMs: number;
  timings: Record<string, number>;
  width: number;
  height: number;
  bytes: number;
  inputBytes: number;
}

async function main(): Promise<void> {
  const server = await startBenchServer(ROOT);
  // expose-gc: the test photo is made on the page's thread; its garbage is collected before
  // the measured window so a GC pause of the benchmark's own making is not counted.
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'],
  });
  try {
    // Service workers blocked: the first visit's precache download (~17 MB, model and wasm
    // included) would otherwise compete with the cold model load being measured.
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.addInitScript(PROBE);
    await page.goto(`${server.origin}/login`);
    // Measure from a settled page: the app's own start-up (bundle evaluation, first render)
    // is not the image pipeline's.
    await page.getByRole('heading', { name: 'Log in to Canopy' }).waitFor();
    await page.waitForFunction(() => 'canopyMedia' in globalThis);
    await installTestImages(page);

    const warm = await measured<{ loadMs: number; firstRunMs: number }>(
      page,
      'globalThis.canopyMedia.classifierWarmTimings()',
    );

    const inference = await page.evaluate<{
      worker: number[];
      roundTrip: number[];
    }>(`(async (runs) => {
      const rgba = new Uint8ClampedArray(224 * 224 * 4);
      let s = 12345;
      for (let i = 0; i < rgba.length; i++) rgba[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
      const worker = [], roundTrip = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const r = await globalThis.canopyMedia.classifyPixels(rgba, 224, 224);
        roundTrip.push(performance.now() - t0);
        worker.push(r.inferenceMs);
      }
      return { worker, roundTrip };
    })(${INFERENCE_RUNS})`);

    const photos: PhotoRun[] = [];
    for (let i = 0; i < PHOTO_RUNS; i++) {
      // Made (and JPEG-encoded) before the measured window; only prepareImage is timed.
      await page.evaluate(`(async (seed) => {
        globalThis.__photo = await globalThis.canopyTestImage(
          { kind: 'photo', width: 4000, height: 3000, type: 'image/jpeg', seed });
        globalThis.gc?.();
      })(${i + 1})`);
      const run = await measured<Omit<PhotoRun, keyof Window>>(
        page,
        `globalThis.canopyMedia.prepareImage(globalThis.__photo, null).then((r) => ({
          totalMs: 0, timings: r.timings ?? {}, width: r.width ?? 0, height: r.height ?? 0,
          bytes: r.blob?.size ?? 0, inputBytes: globalThis.__photo.size }))`,
      );
      photos.push({ ...run.value, ...run, totalMs: run.end - run.start });
    }

    // The worker and ONNX session of this page are not needed any more: free them before the
    // UI path starts its own page.
    await context.close();
    const ui = summarizeUi(await measureUiPath(browser, server.origin, PHOTO_RUNS));

    const result: ImageResult & { date: string } = {
      date: new Date().toISOString(),
      warm: {
        ...warm.value,
        wallMs: warm.end - warm.start,
        longestTaskMs: warm.longestTaskMs,
        maxGapMs: warm.maxGapMs,
        blockers: warm.blockers,
      },
      inference: {
        runs: INFERENCE_RUNS,
        workerP50: percentile(inference.worker, 50),
        workerP95: percentile(inference.worker, 95),
        roundTripP50: percentile(inference.roundTrip, 50),
        roundTripP95: percentile(inference.roundTrip, 95),
      },
      photo: {
        runs: photos.length,
        p50: percentile(
          photos.map((p) => p.totalMs),
          50,
        ),
        max: Math.max(...photos.map((p) => p.totalMs)),
        longestTaskMs: Math.max(...photos.map((p) => p.longestTaskMs)),
        maxGapMs: Math.max(...photos.map((p) => p.maxGapMs)),
        blockers: [...new Set(photos.flatMap((p) => p.blockers))],
        stagesP50: Object.fromEntries(
          Object.keys(photos[0]?.timings ?? {}).map((k) => [
            k,
            percentile(
              photos.map((p) => p.timings[k] ?? 0),
              50,
            ),
          ]),
        ),
        output: photos[0]
          ? `${photos[0].width}×${photos[0].height}, ${photos[0].bytes} B (input ${photos[0].inputBytes} B)`
          : '',
      },
      ui,
    };
    printReport(result);
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(`${RESULTS}image-latest.json`, JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
