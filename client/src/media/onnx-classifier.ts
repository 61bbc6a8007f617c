// The image classifier inside the worker: onnxruntime-web on its WASM backend with one
// thread (no SharedArrayBuffer, so no COOP/COEP headers), one session for the page's life.
// Any manifest-described ONNX classifier fits (models/README.md "Dropping in another …").
import * as ort from 'onnxruntime-web/wasm';
import { imageDataToInput, inputShape, scoresByLabel } from '@canopy/models';
import type { ClassifierManifest } from '@canopy/models';
import type { ClassifyPayload, WarmPayload } from './image-worker-protocol.js';
import { PipelineError } from './image-pipeline.js';
import { WorkerErrorCode } from './image-worker-protocol.js';

export interface OnnxClassifier {
  readonly manifest: ClassifierManifest;
  /** Loads the model and runs it once on a blank input; later calls return at once. */
  warm(): Promise<WarmPayload>;
  /** Scores by label for RGBA pixels of exactly the manifest's input size. */
  classify(rgba: Uint8ClampedArray, width: number, height: number): Promise<ClassifyPayload>;
}

export interface OnnxClassifierOptions {
  manifest: ClassifierManifest;
  modelUrl: string;
  /** URL of ort-wasm-simd-threaded.wasm as emitted by the build. */
  wasmUrl: string;
}

export function makeOnnxClassifier(opts: OnnxClassifierOptions): OnnxClassifier {
  const { manifest } = opts;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmPaths = { wasm: new URL(opts.wasmUrl, self.location.href).href };

  let warming: Promise<WarmPayload> | null = null;
  let session: ort.InferenceSession | null = null;
  // One run at a time: a session is not re-entrant, and a queue keeps memory flat.
  let tail: Promise<unknown> = Promise.resolve();

  const run = (data: Float32Array): Promise<Float32Array> => {
    const next = tail.then(async () => {
      if (!session) throw new Error('classifier used before warm()');
      const feeds = {
        [manifest.input.name]: new ort.Tensor('float32', data, inputShape(manifest)),
      };
      const out = await session.run(feeds);
      const tensor = out[manifest.output.name];
      if (!tensor) throw new Error(`model has no output named ${manifest.output.name}`);
      const values = tensor.data as Float32Array;
      tensor.dispose();
      return values;
    });
    tail = next.catch(() => undefined);
    return next;
  };

  const load = async (): Promise<WarmPayload> => {
    const t0 = performance.now();
    const res = await fetch(opts.modelUrl);
    if (!res.ok) throw new Error(`model download failed: HTTP ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
    });
    const t1 = performance.now();
    const { width, height, channels } = manifest.input;
    await run(new Float32Array(width * height * channels));
    return { loadMs: t1 - t0, firstRunMs: performance.now() - t1 };
  };

  const warm = (): Promise<WarmPayload> => {
    if (!warming) {
      warming = load().catch((err: unknown) => {
        warming = null; // a failed load (offline before precache) may be retried later
        session = null;
        throw new PipelineError(WorkerErrorCode.classify, 'The image checker could not start.', {
          cause: err,
        });
      });
      return warming;
    }
    return warming.then(() => ({ loadMs: 0, firstRunMs: 0 }));
  };

  const classify = async (
    rgba: Uint8ClampedArray,
    width: number,
    height: number,
  ): Promise<ClassifyPayload> => {
    await warm();
    const input = imageDataToInput(rgba, width, height, manifest);
    const t0 = performance.now();
    let output: Float32Array;
    try {
      output = await run(input);
    } catch (err) {
      throw new PipelineError(WorkerErrorCode.classify, 'The image could not be checked.', {
        cause: err,
      });
    }
    return { labels: scoresByLabel(manifest, output), inferenceMs: performance.now() - t0 };
  };

  return { manifest, warm, classify };
}
