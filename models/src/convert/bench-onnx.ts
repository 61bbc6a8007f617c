// `npm run bench -w @canopy/models`: conversion time, model size and single-input inference
// time in onnxruntime-web (WASM, one thread) under Node, for uint8 (shipped) and float32
// weights. Runs of the two sessions alternate so machine load affects both alike.
import * as ort from 'onnxruntime-web';
import { nsfwManifest as manifest } from '../index.js';
import { buildNsfwOnnx, buildOptionsFor } from './build-nsfw-onnx.js';
import { fixedInputs } from './fixed-inputs.js';
import type { WeightStorage } from './onnx-weights.js';

const RUNS = 50;
const WARMUP = 5;
const f = (ms: number) => `${ms.toFixed(1)} ms`;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const value = await fn();
  return [value, performance.now() - t];
}

ort.env.wasm.numThreads = 1;
const { height, width } = manifest.input;
const [input] = fixedInputs(height, 1);
if (!input) throw new Error('no input');
const feeds = {
  [manifest.input.name]: new ort.Tensor('float32', input.data, [1, height, width, 3]),
};

// The first session also instantiates the WASM module: time it apart from the model figures.
const [, initMs] = await timed(async () => {
  const warm = await ort.InferenceSession.create(buildNsfwOnnx(buildOptionsFor(manifest)).bytes);
  await warm.release();
});
process.stdout.write(`wasm init + first session: ${f(initMs)}\n`);

const storages: WeightStorage[] = ['uint8', 'float32'];
const benches = [];
for (const storage of storages) {
  const [{ bytes }, convertMs] = await timed(() =>
    buildNsfwOnnx(buildOptionsFor(manifest, storage)),
  );
  const [session, sessionMs] = await timed(() =>
    ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] }),
  );
  const [, firstMs] = await timed(() => session.run(feeds));
  for (let i = 0; i < WARMUP; i++) await session.run(feeds);
  benches.push({
    storage,
    bytes,
    convertMs,
    session,
    sessionMs,
    firstMs,
    times: [] as number[],
    cpu: [] as number[],
  });
}
// With one WASM thread inference runs on this thread, so process CPU time per run is close to
// what an idle machine's wall time would be; both are reported.
for (let i = 0; i < RUNS; i++) {
  for (const b of benches) {
    const cpu = process.cpuUsage();
    b.times.push((await timed(() => b.session.run(feeds)))[1]);
    const used = process.cpuUsage(cpu);
    b.cpu.push((used.user + used.system) / 1000);
  }
}
for (const b of benches) {
  await b.session.release();
  b.times.sort((x, y) => x - y);
  b.cpu.sort((x, y) => x - y);
  process.stdout.write(
    `${b.storage.padEnd(7)} convert ${f(b.convertMs)}, size ${(b.bytes.byteLength / 1e6).toFixed(2)} MB, ` +
      `session ${f(b.sessionMs)}, first run ${f(b.firstMs)}, p50 ${f(percentile(b.times, 50))}, ` +
      `p95 ${f(percentile(b.times, 95))}, CPU time p50 ${f(percentile(b.cpu, 50))} ` +
      `(${RUNS} runs, 1x${height}x${width}x3)\n`,
  );
}
