// Builds the nsfw MobileNetV2 ONNX model bytes from the nsfwjs package. Pure function of the
// installed nsfwjs version and the options: no timestamps or random ids, so rebuilds are
// byte-identical.
import { convertKerasModel } from './keras-to-onnx.js';
import { loadNsfwjsModel, NSFWJS_VERSION } from './nsfwjs-source.js';
import { createOnnxGraphBuilder } from './onnx-graph-builder.js';
import type { ClassifierManifest } from '../manifest.js';
import type { WeightStorage } from './onnx-weights.js';
import { createWeightStore } from './quantized-weights.js';

export const ONNX_OPSET = 13;

export interface BuildResult {
  bytes: Uint8Array;
  inputShape: [number, number, number];
  classes: number;
  nodes: number;
}

export interface BuildOptions {
  inputName: string;
  outputName: string;
  labels: string[];
  storage: WeightStorage;
}

/** The options the package build uses: names and labels come from the manifest. */
export function buildOptionsFor(
  manifest: ClassifierManifest,
  storage: WeightStorage = 'uint8',
): BuildOptions {
  return {
    inputName: manifest.input.name,
    outputName: manifest.output.name,
    labels: manifest.labels,
    storage,
  };
}

export function buildNsfwOnnx(opts: BuildOptions): BuildResult {
  const source = loadNsfwjsModel();
  const weights = createWeightStore(source.weightSpecs, source.weightData);
  const g = createOnnxGraphBuilder('nsfw_mobilenet_v2');
  const { inputShape, classes } = convertKerasModel(source.modelJson, weights, g, {
    inputName: opts.inputName,
    outputName: opts.outputName,
    storage: opts.storage,
  });
  if (classes !== opts.labels.length) {
    throw new Error(`model has ${classes} outputs, manifest lists ${opts.labels.length} labels`);
  }
  const [h, w, c] = inputShape;
  const bytes = g.encode(
    {
      producerName: '@canopy/models',
      producerVersion: '0.1.0',
      opset: ONNX_OPSET,
      docString: `nsfwjs ${NSFWJS_VERSION} MobileNetV2 (MIT), converted from the tfjs layers model`,
      metadata: {
        source: `nsfwjs@${NSFWJS_VERSION}/dist/models/mobilenet_v2`,
        labels: opts.labels.join(','),
        weight_storage: opts.storage,
      },
    },
    { name: opts.inputName, dims: ['batch', h, w, c] },
    { name: opts.outputName, dims: ['batch', classes] },
  );
  return { bytes, inputShape, classes, nodes: g.nodeCount };
}
