// Messages between the page and the image worker (classifier.worker.ts). Requests carry an
// id so answers can arrive out of order; blobs travel by reference and pixel buffers are
// transferred, never copied.
import type { ImagePolicy } from '@canopy/shared';
import type { Decision } from '@canopy/models';

export type WorkerRequest =
  | { type: 'warm'; id: number }
  | { type: 'prepare'; id: number; file: Blob; policy: ImagePolicy | null }
  /** Classify pixels already at the model's input size (RGBA, transferred). */
  | { type: 'classify-pixels'; id: number; rgba: ArrayBuffer; width: number; height: number }
  | { type: 'cancel'; id: number };

/** Milliseconds spent per stage in the worker, for the benchmark and debug logs. */
export interface PrepareTimings {
  /** decoding (EXIF orientation applied) and downscaling to the upload size */
  decode: number;
  /** the model's input pixels from the upload pixels */
  resize: number;
  /** inference, including any wait for the model to finish loading */
  classify: number;
  thumbhash: number;
  /** the wait for the encoder after all else (it runs alongside the inference) */
  encode: number;
  total: number;
}

export interface PreparedPayload {
  /**
   * JPEG (q 0.85), or WebP/PNG when the source has transparency; no metadata. An animated GIF:
   * the original bytes. Empty if blocked.
   */
  blob: Blob;
  mime: string;
  width: number;
  height: number;
  /** base64 thumbhash of the upload pixels ('' if blocked) */
  thumbhash: string;
  /** classifier scores by label */
  labels: Record<string, number>;
  decision: Decision;
  timings: PrepareTimings;
}

export interface WarmPayload {
  /** Fetching the model and creating the ONNX session (0 when it was already loaded). */
  loadMs: number;
  /** The first inference, which also unpacks the quantized weights (0 when already warm). */
  firstRunMs: number;
}

export interface ClassifyPayload {
  labels: Record<string, number>;
  inferenceMs: number;
}

export type WorkerResponse =
  | { type: 'ok'; id: number; op: 'warm'; result: WarmPayload }
  | { type: 'ok'; id: number; op: 'prepare'; result: PreparedPayload }
  | { type: 'ok'; id: number; op: 'classify-pixels'; result: ClassifyPayload }
  | { type: 'error'; id: number; code: WorkerErrorCode; message: string };

export const WorkerErrorCode = {
  /** The bytes are not an image this browser can decode. */
  decode: 'decode',
  /** The model could not load or run, or gave no usable score: never treat as safe. */
  classify: 'classify',
  /** The request was cancelled by its caller. */
  aborted: 'aborted',
  /** Anything else (a bug, out of memory). */
  internal: 'internal',
} as const;
export type WorkerErrorCode = (typeof WorkerErrorCode)[keyof typeof WorkerErrorCode];
