// Build step: `npm run build -w @canopy/models` writes generated/<manifest.model> from the
// nsfwjs package. Flags: --storage float32|uint8 (default uint8), --out <file>.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { nsfwManifest as manifest } from '../index.js';
import { buildNsfwOnnx, buildOptionsFor } from './build-nsfw-onnx.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const { values } = parseArgs({
  options: { storage: { type: 'string', default: 'uint8' }, out: { type: 'string' } },
});
const storage = values.storage;
if (storage !== 'uint8' && storage !== 'float32')
  throw new Error(`--storage must be uint8 or float32`);
const outFile = path.resolve(values.out ?? path.join(packageDir, manifest.model));

const started = performance.now();
const result = buildNsfwOnnx(buildOptionsFor(manifest, storage));
const [h, w] = result.inputShape;
if (h !== manifest.input.height || w !== manifest.input.width) {
  throw new Error(
    `model input ${h}x${w} does not match manifest ${manifest.input.height}x${manifest.input.width}`,
  );
}
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, result.bytes);
const ms = performance.now() - started;
process.stdout.write(
  `models: wrote ${path.relative(process.cwd(), outFile)} (${(result.bytes.byteLength / 1e6).toFixed(2)} MB, ` +
    `${result.nodes} nodes, ${storage} weights) in ${ms.toFixed(0)} ms\n`,
);
