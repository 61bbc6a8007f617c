// Reads the MobileNetV2 Keras layers model that ships inside the nsfwjs npm package:
// the topology + weights manifest (model.min.js) and the base64 weight shard
// (group1-shard1of1.min.js), both UMD bundles. Node only (build time and tests).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';

const require = createRequire(import.meta.url);

export const NSFWJS_VERSION = '4.4.0';
const MODEL_DIR = 'dist/models/mobilenet_v2';

const quantizationSchema = z.object({
  dtype: z.literal('uint8'),
  min: z.number(),
  scale: z.number().positive(),
});

export const weightSpecSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.literal('float32'),
  quantization: quantizationSchema,
});
export type WeightSpec = z.infer<typeof weightSpecSchema>;

const inboundSchema = z.tuple([z.string(), z.number(), z.number(), z.unknown()]);
export const kerasLayerSchema = z.object({
  name: z.string(),
  class_name: z.string(),
  config: z.record(z.string(), z.unknown()),
  inbound_nodes: z.array(z.array(inboundSchema)),
});
export type KerasLayer = z.infer<typeof kerasLayerSchema>;

const modelJsonSchema = z.object({
  modelTopology: z.object({
    keras_version: z.string(),
    model_config: z.object({
      class_name: z.literal('Model'),
      config: z.object({
        name: z.string(),
        layers: z.array(kerasLayerSchema),
        input_layers: z.array(z.tuple([z.string(), z.number(), z.number()])).length(1),
        output_layers: z.array(z.tuple([z.string(), z.number(), z.number()])).length(1),
      }),
    }),
  }),
  weightsManifest: z
    .array(z.object({ paths: z.array(z.string()), weights: z.array(weightSpecSchema) }))
    .length(1),
});
export type NsfwjsModelJson = z.infer<typeof modelJsonSchema>;

export interface NsfwjsModel {
  /** The model.json object as nsfwjs hands it to tfjs (validated subset, original object). */
  modelJson: NsfwjsModelJson;
  /** Raw JSON as shipped, for the tfjs IO handler (keeps fields we do not validate). */
  rawModelJson: Record<string, unknown>;
  weightSpecs: WeightSpec[];
  /** Concatenated quantized weight bytes, in weightSpecs order. */
  weightData: Uint8Array;
  packageDir: string;
}

/** Directory of the installed nsfwjs package (its exports map hides package.json). */
export function nsfwjsPackageDir(): string {
  let dir = path.dirname(require.resolve('nsfwjs'));
  for (;;) {
    try {
      const pkg = z
        .object({ name: z.string().optional(), version: z.string().optional() })
        .parse(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')));
      if (pkg.name === 'nsfwjs') {
        if (pkg.version !== NSFWJS_VERSION) {
          throw new Error(`expected nsfwjs ${NSFWJS_VERSION}, found ${pkg.version}`);
        }
        return dir;
      }
    } catch (err) {
      if (!(err instanceof Error && 'code' in err && err.code === 'ENOENT')) throw err;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('nsfwjs package.json not found');
    dir = parent;
  }
}

export function loadNsfwjsModel(): NsfwjsModel {
  const packageDir = nsfwjsPackageDir();
  const modelDir = path.join(packageDir, MODEL_DIR);
  const rawModelJson = z
    .record(z.string(), z.unknown())
    .parse(require(path.join(modelDir, 'model.min.js')));
  const modelJson = modelJsonSchema.parse(rawModelJson);
  const group = modelJson.weightsManifest[0];
  if (!group) throw new Error('empty weights manifest');
  const shards = group.paths.map((p) => {
    const base64 = z.string().parse(require(path.join(modelDir, `${p}.min.js`)));
    return Buffer.from(base64, 'base64');
  });
  const weightData = new Uint8Array(Buffer.concat(shards));
  const expected = group.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  if (weightData.byteLength !== expected) {
    throw new Error(
      `weight shards hold ${weightData.byteLength} bytes, manifest needs ${expected}`,
    );
  }
  return { modelJson, rawModelJson, weightSpecs: group.weights, weightData, packageDir };
}
