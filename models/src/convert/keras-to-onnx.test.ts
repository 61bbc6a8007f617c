// The converter on a small synthetic Keras model that exercises the paths MobileNetV2 does not:
// stride-2 'same' padding (asymmetric), depth_multiplier 2, standalone BatchNormalization,
// ZeroPadding2D not followed by a valid conv (Pad op), Flatten over a 2x2 map (HWC order),
// Dense with relu/softmax, and negative BatchNormalization gammas (flipped uint8 codes).
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchOf, fixedInputs, mulberry32 } from './fixed-inputs.js';
import { convertKerasModel } from './keras-to-onnx.js';
import type { NsfwjsModelJson, WeightSpec } from './nsfwjs-source.js';
import { createOnnxGraphBuilder } from './onnx-graph-builder.js';
import type { WeightStorage } from './onnx-weights.js';
import { createWeightStore } from './quantized-weights.js';

const SIZE = 8;
const SEED = 7;

function syntheticModel(): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 3], name: 'input_1' });
  const c1 = tf.layers
    .conv2d({
      name: 'c1',
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
    })
    .apply(input) as tf.SymbolicTensor;
  const dw = tf.layers
    .depthwiseConv2d({
      name: 'dw',
      kernelSize: 3,
      padding: 'same',
      depthMultiplier: 2,
      useBias: false,
    })
    .apply(c1) as tf.SymbolicTensor;
  const bn1 = tf.layers.batchNormalization({ name: 'bn1' }).apply(dw) as tf.SymbolicTensor;
  const r1 = tf.layers.reLU({ name: 'r1', maxValue: 6 }).apply(bn1) as tf.SymbolicTensor;
  const c2 = tf.layers
    .conv2d({ name: 'c2', filters: 8, kernelSize: 1, useBias: false })
    .apply(r1) as tf.SymbolicTensor;
  const add = tf.layers.add({ name: 'add' }).apply([r1, c2]) as tf.SymbolicTensor;
  const bn2 = tf.layers.batchNormalization({ name: 'bn2' }).apply(add) as tf.SymbolicTensor;
  const zp = tf.layers
    .zeroPadding2d({
      name: 'zp',
      padding: [
        [1, 0],
        [0, 1],
      ],
    })
    .apply(bn2) as tf.SymbolicTensor;
  const r2 = tf.layers.reLU({ name: 'r2' }).apply(zp) as tf.SymbolicTensor;
  const c3 = tf.layers
    .conv2d({ name: 'c3', filters: 6, kernelSize: 2, strides: 2 })
    .apply(r2) as tf.SymbolicTensor;
  const flat = tf.layers.flatten({ name: 'flat' }).apply(c3) as tf.SymbolicTensor;
  const d1 = tf.layers
    .dense({ name: 'd1', units: 7, activation: 'relu' })
    .apply(flat) as tf.SymbolicTensor;
  const drop = tf.layers.dropout({ name: 'drop', rate: 0.5 }).apply(d1) as tf.SymbolicTensor;
  const d2 = tf.layers
    .dense({ name: 'd2', units: 3, activation: 'softmax' })
    .apply(drop) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: d2, name: 'synthetic' });
  const rand = mulberry32(SEED);
  for (const layer of model.layers) {
    layer.setWeights(
      layer.weights.map((w) => {
        const shape = w.shape.map((d) => d ?? 1);
        const n = shape.reduce((a, b) => a * b, 1);
        const values = Float32Array.from({ length: n }, (): number =>
          w.name.includes('variance')
            ? 0.2 + rand()
            : w.name.includes('gamma')
              ? rand() * 2 - 0.6
              : rand() - 0.5,
        );
        return tf.tensor(values, shape);
      }),
    );
  }
  return model;
}

/** tfjs-converter style affine uint8 quantization, zero exactly representable. */
function quantize(values: Float32Array): { q: Uint8Array; min: number; scale: number } {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const scale = (hi - lo) / 255 || 1;
  const zp = Math.round(-lo / scale);
  const min = -zp * scale;
  const q = Uint8Array.from(values, (v) =>
    Math.min(255, Math.max(0, Math.round((v - min) / scale))),
  );
  return { q, min, scale };
}

interface Quantized {
  topology: NsfwjsModelJson['modelTopology'];
  specs: WeightSpec[];
  data: Uint8Array;
}

async function quantizedArtifacts(model: tf.LayersModel): Promise<Quantized> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save({
    save: (artifacts) => {
      saved = artifacts;
      return Promise.resolve({
        modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' },
      });
    },
  });
  if (!saved?.weightSpecs || !(saved.weightData instanceof ArrayBuffer))
    throw new Error('save failed');
  const floats = new Float32Array(saved.weightData);
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const spec of saved.weightSpecs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const { q, min, scale } = quantize(floats.subarray(offset, offset + n));
    offset += n;
    chunks.push(q);
    specs.push({
      name: spec.name,
      shape: spec.shape,
      dtype: 'float32',
      quantization: { dtype: 'uint8', min, scale },
    });
  }
  const data = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((o, c) => (data.set(c, o), o + c.length), 0);
  // tfjs saves the bare model config; nsfwjs ships it wrapped as Keras does.
  const topology = { keras_version: 'tfjs', model_config: saved.modelTopology };
  return { topology: topology as NsfwjsModelJson['modelTopology'], specs, data };
}

async function runOnnx(
  bytes: Uint8Array,
  input: Float32Array,
  batch: number,
): Promise<Float32Array> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({
      input: new ort.Tensor('float32', input, [batch, SIZE, SIZE, 3]),
    });
    return out['probabilities']?.data as Float32Array;
  } finally {
    await session.release();
  }
}

function convert(art: Quantized, storage: WeightStorage, topology = art.topology): Uint8Array {
  const g = createOnnxGraphBuilder('synthetic');
  const modelJson = {
    modelTopology: topology,
    weightsManifest: [{ paths: [], weights: art.specs }],
  };
  convertKerasModel(modelJson, createWeightStore(art.specs, art.data), g, {
    inputName: 'input',
    outputName: 'probabilities',
    storage,
  });
  const meta = {
    producerName: 'test',
    producerVersion: '0',
    docString: '',
    opset: 13,
    metadata: {},
  };
  return g.encode(
    meta,
    { name: 'input', dims: ['batch', SIZE, SIZE, 3] },
    { name: 'probabilities', dims: ['batch', 3] },
  );
}

describe('convertKerasModel on a synthetic model', () => {
  const inputs = fixedInputs(SIZE, SEED);
  let art: Quantized;
  let reference: Float32Array;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    art = await quantizedArtifacts(syntheticModel());
    // The reference loads the quantized artifacts, so it dequantizes exactly as for nsfwjs.
    const ref = await tf.loadLayersModel({
      load: () =>
        Promise.resolve({
          modelTopology: art.topology,
          weightSpecs: art.specs,
          weightData: art.data.slice().buffer,
        }),
    });
    const out = ref.predict(
      tf.tensor4d(batchOf(inputs), [inputs.length, SIZE, SIZE, 3]),
    ) as tf.Tensor;
    reference = (await out.data()) as Float32Array;
    ref.dispose();
  });

  it.each(['uint8', 'float32'] as const)('matches tfjs with %s weights', async (storage) => {
    const onnx = await runOnnx(convert(art, storage), batchOf(inputs), inputs.length);
    expect(onnx).toHaveLength(reference.length);
    onnx.forEach((p, i) => expect(Math.abs(p - (reference[i] as number))).toBeLessThan(1e-5));
  });

  it('refuses layers it cannot map instead of approximating them', () => {
    const topology = structuredClone(art.topology);
    const layer = topology.model_config.config.layers.find((l) => l.name === 'r2');
    if (!layer) throw new Error('r2 missing');
    layer.class_name = 'LeakyReLU';
    expect(() => convert(art, 'uint8', topology)).toThrow(
      /unsupported Keras layer LeakyReLU \(r2\)/,
    );
  });
});
