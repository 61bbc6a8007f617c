// The image worker: prepares chosen images (decode → resize → encode → thumbhash → classify
// → policy decision; an animated GIF: every frame classified, sent as is) and hosts the ONNX
// session for the page's life. Jobs run one at a time so two 12-megapixel photos never sit
// decoded in memory together; a cancelled job stops at the next stage boundary.
/// <reference lib="webworker" />
import { decide, nsfwManifest } from '@canopy/models';
import type { Decision } from '@canopy/models';
import modelUrl from '@canopy/models/generated/nsfw-mobilenetv2.onnx?url';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { makeOnnxClassifier } from './onnx-classifier.js';
import {
  PipelineError,
  decodeAndResize,
  encodeUpload,
  modelPixels,
  thumbhashOf,
} from './image-pipeline.js';
import { effectivePolicy } from './policy-reason.js';
import { openAnimation } from './animated-gif.js';
import type { Animation } from './animated-gif.js';
import { WorkerErrorCode } from './image-worker-protocol.js';
import type { PreparedPayload, WorkerRequest, WorkerResponse } from './image-worker-protocol.js';
import type { ImagePolicy } from '@canopy/shared';

declare const self: DedicatedWorkerGlobalScope;

const classifier = makeOnnxClassifier({ manifest: nsfwManifest, modelUrl, wasmUrl });
const cancelled = new Set<number>();
let queue: Promise<unknown> = Promise.resolve();

function post(msg: WorkerResponse, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

function checkCancelled(id: number): void {
  if (cancelled.has(id)) throw new PipelineError(WorkerErrorCode.aborted, 'cancelled');
}

function decideFor(labels: Record<string, number>, policy: ImagePolicy | null): Decision {
  try {
    return decide(labels, effectivePolicy(policy, classifier.manifest));
  } catch (err) {
    throw new PipelineError(WorkerErrorCode.classify, 'The image could not be checked.', {
      cause: err,
    });
  }
}

/** An animated GIF: every frame classified (the highest score per label counts), sent as is. */
async function prepareAnimated(
  id: number,
  file: Blob,
  policy: ImagePolicy | null,
  animation: Animation,
): Promise<PreparedPayload> {
  const t0 = performance.now();
  const { width: mw, height: mh } = classifier.manifest.input;
  const labels: Record<string, number> = {};
  let thumbhash = '';
  let classifyMs = 0;
  try {
    await classifier.warm();
    for await (const pixels of animation.frames()) {
      checkCancelled(id);
      if (thumbhash === '') thumbhash = thumbhashOf(pixels);
      const input = modelPixels(pixels, mw, mh);
      const c0 = performance.now();
      const scored = await classifier.classify(input.data, mw, mh);
      classifyMs += performance.now() - c0;
      for (const [label, score] of Object.entries(scored.labels))
        labels[label] = Math.max(labels[label] ?? 0, score);
    }
  } finally {
    animation.close();
  }
  const decision = decideFor(labels, policy);
  const blocked = decision.action === 'block';
  const blob = blocked ? new Blob([]) : new Blob([file], { type: 'image/gif' });
  const total = performance.now() - t0;
  return {
    blob,
    mime: 'image/gif',
    width: animation.width,
    height: animation.height,
    thumbhash: blocked ? '' : thumbhash,
    labels,
    decision,
    timings: { decode: 0, resize: 0, classify: classifyMs, thumbhash: 0, encode: 0, total },
  };
}

async function prepare(
  id: number,
  file: Blob,
  policy: ImagePolicy | null,
): Promise<PreparedPayload> {
  const animation = await openAnimation(file);
  if (animation) return prepareAnimated(id, file, policy, animation);
  const t0 = performance.now();
  // Start loading the model while the image decodes; both are needed.
  const warm = classifier.warm();
  const pixels = await decodeAndResize(file);
  const t1 = performance.now();
  checkCancelled(id);
  const { width: mw, height: mh } = classifier.manifest.input;
  const input = modelPixels(pixels, mw, mh);
  const t2 = performance.now();
  // convertToBlob encodes off this thread: start it now so it overlaps the inference below
  // (after modelPixels: drawing from a canvas that is being encoded costs a copy). A blocked
  // image's encoding is simply dropped.
  const encoding = encodeUpload(pixels);
  encoding.catch(() => undefined);
  await warm;
  const scored = await classifier.classify(input.data, mw, mh);
  const t3 = performance.now();
  checkCancelled(id);
  const decision = decideFor(scored.labels, policy);
  const blocked = decision.action === 'block';
  // A blocked image is never uploaded: no bytes and no placeholder leave the worker.
  const thumbhash = blocked ? '' : thumbhashOf(pixels);
  const t4 = performance.now();
  const blob = blocked ? new Blob([]) : await encoding;
  const t5 = performance.now();
  return {
    blob,
    mime: blob.type,
    width: pixels.width,
    height: pixels.height,
    thumbhash,
    labels: scored.labels,
    decision,
    timings: {
      decode: t1 - t0,
      resize: t2 - t1,
      classify: t3 - t2,
      thumbhash: t4 - t3,
      encode: t5 - t4,
      total: t5 - t0,
    },
  };
}

function fail(id: number, err: unknown): void {
  const code = err instanceof PipelineError ? err.code : WorkerErrorCode.internal;
  const message = err instanceof Error ? err.message : String(err);
  post({ type: 'error', id, code, message });
}

function enqueue(id: number, job: () => Promise<void>): void {
  queue = queue.then(async () => {
    try {
      checkCancelled(id);
      await job();
    } catch (err) {
      fail(id, err);
    } finally {
      cancelled.delete(id);
    }
  });
}

self.onmessage = (event: MessageEvent<WorkerRequest>): void => {
  const msg = event.data;
  switch (msg.type) {
    case 'cancel':
      cancelled.add(msg.id);
      return;
    case 'warm':
      // Not queued: warming must not wait behind a photo, and warm() is idempotent.
      classifier.warm().then(
        (result) => post({ type: 'ok', id: msg.id, op: 'warm', result }),
        (err: unknown) => fail(msg.id, err),
      );
      return;
    case 'prepare':
      enqueue(msg.id, async () => {
        const result = await prepare(msg.id, msg.file, msg.policy);
        post({ type: 'ok', id: msg.id, op: 'prepare', result });
      });
      return;
    case 'classify-pixels':
      enqueue(msg.id, async () => {
        const rgba = new Uint8ClampedArray(msg.rgba);
        const result = await classifier.classify(rgba, msg.width, msg.height);
        post({ type: 'ok', id: msg.id, op: 'classify-pixels', result });
      });
      return;
  }
};
