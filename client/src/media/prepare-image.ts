// Public entry for images chosen by the user: turns a File/Blob into upload-ready pixels
// (EXIF orientation applied, ≤ MAX_IMAGE_EDGE, re-encoded without metadata), a thumbhash,
// the classifier's scores and the group policy's decision. All heavy work happens in one
// module Web Worker per page, created on first use; the page thread only posts messages.
import type { ImagePolicy } from '@canopy/shared';
import type { Decision } from '@canopy/models';
import { ImagePrepareError, makeImageWorkerClient } from './image-worker-client.js';
import type { ImageWorkerClient } from './image-worker-client.js';
import type {
  ClassifyPayload,
  PreparedPayload,
  PrepareTimings,
  WarmPayload,
} from './image-worker-protocol.js';
import { blockedReason } from './policy-reason.js';

export { ImagePrepareError };
export { WorkerErrorCode as ImagePrepareErrorCode } from './image-worker-protocol.js';
export type { PrepareTimings, WarmPayload };

/** An image ready to upload; `decision.action` is 'allow' or 'blur' ('block' is a BlockedImage). */
export interface PreparedImage extends PreparedPayload {
  kind: 'image';
}

export interface BlockedImage {
  kind: 'blocked';
  /** e.g. "Blocked by this group's image policy: Porn 0.93 ≥ 0.60" */
  reason: string;
  labels: Record<string, number>;
  decision: Decision;
}

// One worker (and one ONNX session) for the page's life, created lazily.
let client: ImageWorkerClient | null = null;
let warming: Promise<WarmPayload> | null = null;

function worker(): ImageWorkerClient {
  client ??= makeImageWorkerClient(
    () => new Worker(new URL('./classifier.worker.ts', import.meta.url), { type: 'module' }),
  );
  return client;
}

/**
 * Prepares one image for upload under a group's policy (null = the classifier's default).
 * Rejects with ImagePrepareError: code 'decode' when the file is not a readable image,
 * 'classify' when it could not be checked (never treat that as safe), 'aborted' on signal.
 */
export async function prepareImage(
  file: Blob,
  policy: ImagePolicy | null,
  opts?: { signal?: AbortSignal },
): Promise<PreparedImage | BlockedImage> {
  const r = await worker().prepare(file, policy, opts?.signal);
  if (r.decision.action === 'block') {
    return {
      kind: 'blocked',
      reason: blockedReason(r.decision),
      labels: r.labels,
      decision: r.decision,
    };
  }
  return { kind: 'image', ...r };
}

function warmOnce(): Promise<WarmPayload> {
  warming ??= worker()
    .warm()
    .catch((err: unknown) => {
      warming = null; // allow a retry, e.g. after coming back online
      throw err;
    });
  return warming;
}

/** Loads the model and runs one warm-up inference; once per page (later calls share it). */
export function warmClassifier(): Promise<void> {
  return warmOnce().then(() => undefined);
}

/** How long the page's one warm-up took (model load, first run); warms if needed. */
export function classifierWarmTimings(): Promise<WarmPayload> {
  return warmOnce();
}

/** Classifies RGBA pixels already at the model's input size (224×224 for the default). */
export function classifyPixels(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
): Promise<ClassifyPayload> {
  return worker().classifyPixels(rgba, width, height);
}

// The e2e tests and the image benchmark drive the real pipeline in a built page through this
// handle; it exposes nothing a page script could not already call.
(globalThis as { canopyMedia?: unknown }).canopyMedia = {
  prepareImage,
  warmClassifier,
  classifierWarmTimings,
  classifyPixels,
};
