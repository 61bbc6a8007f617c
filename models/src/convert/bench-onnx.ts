// `npm run bench -w @canopy/models`: conversion time, model size and single-input inference
// time of the generated model in onnxruntime-web (WASM, one thread) under Node. Prints figures.
import * as ort from 'onnxruntime-web';
import { nsfwManifest as manifest } from '../index.js';
import { buildNsfwOnnx, buildOptionsFor } from './build-nsfw-onnx.js';
import { fixedInputs } from './fixed-inputs.js';

const RUNS = 50;
const WARMUP = 5;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

async function bench(storage: 'uint8' | 'float32'): Promise<void> {
  let t = performance.now();
  const { bytes } = buildNsfwOnnx(buildOptionsFor(manifest, storage));
  const convertMs = performance.now() - t;

  ort.env.wasm.numThreads = 1;
  t = performance.now();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const loadMs = performance.now() - t;
  const { height, width } = manifest.input;
  const [input] = fixedInputs(height, 1);
  if (!input) throw new Error('no input');
  const feeds = {
    [manifest.input.name]: new ort.Tensor('float32', input.data, [1, height, width, 3]),
  };
  t = performance.now();
  await session.run(feeds);
  const firstMs = performance.now() - t;
  for (let i = 0; i < WARMUP; i++) await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t);
  }
  await session.release();
  times.sort((a, b) => a - b);
  const f = (ms: number) => `${ms.toFixed(1)} ms`;
  process.stdout.write(
    `${storage.padEnd(7)} convert ${f(convertMs)}, size ${(bytes.byteLength / 1e6).toFixed(2)} MB, ` +
      `session ${f(loadMs)}, first run ${f(firstMs)}, ` +
      `p50 ${f(percentile(times, 50))}, p95 ${f(percentile(times, 95))} (${RUNS} runs, 1x${height}x${width}x3)\n`,
  );
}

// The first session also instantiates the WASM module: time it apart from the model figures.
const t0 = performance.now();
ort.env.wasm.numThreads = 1;
await ort.InferenceSession.create(buildNsfwOnnx(buildOptionsFor(manifest, 'uint8')).bytes).then(
  (s) => s.release(),
);
process.stdout.write(`wasm init + first session: ${(performance.now() - t0).toFixed(1)} ms\n`);
await bench('uint8');
await bench('float32');
