// The page's side of the image worker: request ids, promise bookkeeping, cancellation, and
// recovery when the worker dies (every pending call rejects; the next call starts a fresh
// worker). Owns no policy logic.
import { WorkerErrorCode } from './image-worker-protocol.js';
import type {
  ClassifyPayload,
  PreparedPayload,
  WarmPayload,
  WorkerRequest,
  WorkerResponse,
} from './image-worker-protocol.js';
import type { ImagePolicy } from '@canopy/shared';

/** A failure reported by the image worker; `code` tells decode, classify and aborted apart. */
export class ImagePrepareError extends Error {
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ImagePrepareError';
  }
}

export interface ImageWorkerClient {
  warm(): Promise<WarmPayload>;
  prepare(file: Blob, policy: ImagePolicy | null, signal?: AbortSignal): Promise<PreparedPayload>;
  classifyPixels(rgba: Uint8ClampedArray, width: number, height: number): Promise<ClassifyPayload>;
  terminate(): void;
}

interface Pending {
  resolve: (value: never) => void;
  reject: (err: Error) => void;
}

type Request = WorkerRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

export function makeImageWorkerClient(spawn: () => Worker): ImageWorkerClient {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (err: Error): void => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker?.terminate();
    worker = null;
  };

  const ensureWorker = (): Worker => {
    if (worker) return worker;
    const w = spawn();
    w.onmessage = (event: MessageEvent<WorkerResponse>) => {
      const msg = event.data;
      const p = pending.get(msg.id);
      if (!p) return; // cancelled: its answer is dropped
      pending.delete(msg.id);
      if (msg.type === 'ok') p.resolve(msg.result as never);
      else p.reject(new ImagePrepareError(msg.code, msg.message));
    };
    w.onerror = (event) => {
      event.preventDefault();
      failAll(
        new ImagePrepareError(WorkerErrorCode.internal, `image worker failed: ${event.message}`),
      );
    };
    w.onmessageerror = () =>
      failAll(
        new ImagePrepareError(WorkerErrorCode.internal, 'image worker sent an unreadable message'),
      );
    worker = w;
    return w;
  };

  const call = <T>(
    req: Request,
    transfer: Transferable[] = [],
    signal?: AbortSignal,
  ): Promise<T> => {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const w = ensureWorker();
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ ...req, id }, transfer);
      signal?.addEventListener(
        'abort',
        () => {
          if (!pending.delete(id)) return;
          w.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
          reject(abortError(signal));
        },
        { once: true },
      );
    });
  };

  return {
    warm: () => call<WarmPayload>({ type: 'warm' }),
    prepare: (file, policy, signal) =>
      call<PreparedPayload>({ type: 'prepare', file, policy }, [], signal),
    classifyPixels: (rgba, width, height) => {
      // Copy into a buffer of our own and transfer it: the caller's array stays usable.
      const copy = rgba.slice();
      return call<ClassifyPayload>({ type: 'classify-pixels', rgba: copy.buffer, width, height }, [
        copy.buffer,
      ]);
    },
    terminate: () =>
      failAll(new ImagePrepareError(WorkerErrorCode.aborted, 'image worker stopped')),
  };
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException('The image preparation was cancelled.', 'AbortError');
}
