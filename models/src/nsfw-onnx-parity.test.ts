// Parity: the generated ONNX model run by onnxruntime-web (WASM, one thread) against the
// original nsfwjs Keras model run by @tensorflow/tfjs on its pure-JS CPU backend, on fixed
// inputs. Also checks that the build is deterministic and the generated file is current.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNsfwOnnx, buildOptionsFor } from './convert/build-nsfw-onnx.js';
import { batchOf, fixedInputs } from './convert/fixed-inputs.js';
import { loadTfjsReference } from './convert/tfjs-reference.js';
import { nsfwManifest as manifest } from './index.js';

const TOLERANCE = 1e-4;
const SEED = 20240607;
const size = manifest.input.height;
const inputs = fixedInputs(size, SEED);
const classes = manifest.labels.length;
const modelFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', manifest.model);

let reference: Float32Array;
let built: Uint8Array;

beforeAll(async () => {
  // Depends on nothing but node_modules: build the model if the package build has not run.
  built = buildNsfwOnnx(buildOptionsFor(manifest)).bytes;
  if (!existsSync(modelFile)) {
    mkdirSync(path.dirname(modelFile), { recursive: true });
    writeFileSync(modelFile, built);
  }
  const tfjs = await loadTfjsReference();
  reference = await tfjs.predict(batchOf(inputs), inputs.length);
  tfjs.dispose();
}, 180_000);

async function runOnnx(bytes: Uint8Array): Promise<Float32Array> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const feeds = {
      [manifest.input.name]: new ort.Tensor('float32', batchOf(inputs), [
        inputs.length,
        size,
        size,
        3,
      ]),
    };
    const out = await session.run(feeds);
    const probs = out[manifest.output.name];
    if (!probs) throw new Error(`no output ${manifest.output.name}`);
    expect(probs.dims).toEqual([inputs.length, classes]);
    return probs.data as Float32Array;
  } finally {
    await session.release();
  }
}

const ranking = (p: Float32Array, i: number) =>
  manifest.labels
    .map((label, c) => ({ label, p: p[i * classes + c] as number }))
    .sort((a, b) => b.p - a.p)
    .map((x) => x.label);

function expectParity(onnx: Float32Array): number {
  let maxDiff = 0;
  inputs.forEach((input, i) => {
    for (let c = 0; c < classes; c++) {
      const diff = Math.abs(
        (onnx[i * classes + c] as number) - (reference[i * classes + c] as number),
      );
      maxDiff = Math.max(maxDiff, diff);
      expect(diff, `${input.name} / ${manifest.labels[c]}`).toBeLessThan(TOLERANCE);
    }
    expect(ranking(onnx, i), input.name).toEqual(ranking(reference, i));
  });
  return maxDiff;
}

describe('nsfw MobileNetV2 ONNX conversion', () => {
  it('builds deterministically and the generated file is current', () => {
    const again = buildNsfwOnnx(buildOptionsFor(manifest)).bytes;
    expect(Buffer.from(again).equals(Buffer.from(built))).toBe(true);
    const onDisk = readFileSync(modelFile);
    expect(
      onDisk.equals(Buffer.from(built)),
      'stale model: run npm run build -w @canopy/models',
    ).toBe(true);
  });

  it(`matches tfjs within ${TOLERANCE} with the same ranking (uint8 weights, the shipped file)`, async () => {
    const onnx = await runOnnx(readFileSync(modelFile));
    const maxDiff = expectParity(onnx);
    const table = inputs.map((input, i) => {
      const row = manifest.labels.map(
        (l, c) => `${l} ${(onnx[i * classes + c] as number).toFixed(3)}`,
      );
      return `  ${input.name.padEnd(26)} ${row.join('  ')}`;
    });
    process.stdout.write(
      `parity (uint8 + DequantizeLinear, seed ${SEED}): max abs diff ${maxDiff.toExponential(2)}\n` +
        `${table.join('\n')}\n`,
    );
  }, 60_000);

  it('matches tfjs with float32 weights too (BatchNormalization folded into the kernels)', async () => {
    const onnx = await runOnnx(buildNsfwOnnx(buildOptionsFor(manifest, 'float32')).bytes);
    const maxDiff = expectParity(onnx);
    process.stdout.write(
      `parity (float32, seed ${SEED}): max abs diff ${maxDiff.toExponential(2)}\n`,
    );
  }, 60_000);

  it('is a real classifier: outputs differ between inputs and sum to 1', () => {
    const rows = inputs.map((_, i) =>
      Array.from(reference.subarray(i * classes, (i + 1) * classes)),
    );
    for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(new Set(rows.map((r) => ranking(Float32Array.from(r), 0).join())).size).toBeGreaterThan(
      1,
    );
  });
});
