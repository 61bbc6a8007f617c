// The original nsfwjs MobileNetV2 run by @tensorflow/tfjs on its pure-JS CPU backend, loaded
// from the files in node_modules through an in-memory IO handler (no network, no tfjs-node).
// Used only by the parity test: it is the reference the ONNX model must match.
import * as tf from '@tensorflow/tfjs';
import { loadNsfwjsModel } from './nsfwjs-source.js';

export async function loadTfjsReference(): Promise<{
  predict: (nhwc: Float32Array, batch: number) => Promise<Float32Array>;
  dispose: () => void;
}> {
  await tf.setBackend('cpu');
  await tf.ready();
  const source = loadNsfwjsModel();
  const { modelTopology } = source.rawModelJson;
  const weightData = source.weightData.slice().buffer;
  const model = await tf.loadLayersModel({
    load: () =>
      Promise.resolve({
        modelTopology: modelTopology as object,
        weightSpecs: source.weightSpecs,
        weightData,
      }),
  });
  const [, h, w, c] = model.inputs[0]?.shape ?? [];
  if (typeof h !== 'number' || typeof w !== 'number' || typeof c !== 'number') {
    throw new Error('reference model has no fixed input shape');
  }
  return {
    async predict(nhwc, batch) {
      const input = tf.tensor4d(nhwc, [batch, h, w, c]);
      const output = model.predict(input) as tf.Tensor;
      const data = (await output.data()) as Float32Array;
      tf.dispose([input, output]);
      return data;
    },
    dispose: () => model.dispose(),
  };
}
