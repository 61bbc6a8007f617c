// The page-side bookkeeping of the image worker, against a scripted stand-in for the browser's
// Worker (Node has no module workers with OffscreenCanvas; the real worker runs in the e2e).
import { describe, expect, it } from 'vitest';
import { ImagePrepareError, makeImageWorkerClient } from './image-worker-client.js';
import type { WorkerRequest, WorkerResponse } from './image-worker-protocol.js';

class ScriptedWorker {
  readonly received: { msg: WorkerRequest; transfer: Transferable[] }[] = [];
  terminated = false;
  onmessage: ((event: { data: WorkerResponse }) => void) | null = null;
  onerror: ((event: { message: string; preventDefault(): void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  postMessage(msg: WorkerRequest, transfer: Transferable[] = []): void {
    this.received.push({ msg, transfer });
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(data: WorkerResponse): void {
    this.onmessage?.({ data });
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault: () => undefined });
  }
}

function setup(): { spawned: ScriptedWorker[]; client: ReturnType<typeof makeImageWorkerClient> } {
  const spawned: ScriptedWorker[] = [];
  const client = makeImageWorkerClient(() => {
    const w = new ScriptedWorker();
    spawned.push(w);
    return w as unknown as Worker;
  });
  return { spawned, client };
}

const warmOk = (id: number): WorkerResponse => ({
  type: 'ok',
  id,
  op: 'warm',
  result: { loadMs: 1, firstRunMs: 2 },
});

describe('image worker client', () => {
  it('matches answers to requests by id, in any order', async () => {
    const { spawned, client } = setup();
    const a = client.warm();
    const b = client.prepare(new Blob(['x']), null);
    const [w] = spawned;
    if (!w) throw new Error('no worker spawned');
    expect(spawned).toHaveLength(1);
    const ids = w.received.map((r) => r.msg.id);
    w.reply({ type: 'error', id: ids[1] ?? -1, code: 'decode', message: 'not an image' });
    w.reply(warmOk(ids[0] ?? -1));
    await expect(a).resolves.toEqual({ loadMs: 1, firstRunMs: 2 });
    await expect(b).rejects.toMatchObject({ name: 'ImagePrepareError', code: 'decode' });
  });

  it('rejects at once on abort, tells the worker, and drops its late answer', async () => {
    const { spawned, client } = setup();
    const controller = new AbortController();
    const p = client.prepare(new Blob(['x']), null, controller.signal);
    controller.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    const w = spawned[0] as ScriptedWorker;
    const id = w.received[0]?.msg.id ?? -1;
    expect(w.received[1]?.msg).toEqual({ type: 'cancel', id });
    w.reply({ type: 'error', id, code: 'aborted', message: 'cancelled' }); // ignored
    // An already-aborted signal never reaches the worker.
    await expect(client.prepare(new Blob(['x']), null, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(w.received).toHaveLength(2);
  });

  it('fails every pending call when the worker dies, then starts a fresh one', async () => {
    const { spawned, client } = setup();
    const a = client.warm();
    const b = client.prepare(new Blob(['x']), null);
    spawned[0]?.crash('out of memory');
    await expect(a).rejects.toThrow(/image worker failed: out of memory/);
    await expect(b).rejects.toBeInstanceOf(ImagePrepareError);
    expect(spawned[0]?.terminated).toBe(true);
    const c = client.warm();
    expect(spawned).toHaveLength(2);
    const w2 = spawned[1] as ScriptedWorker;
    w2.reply(warmOk(w2.received[0]?.msg.id ?? -1));
    await expect(c).resolves.toMatchObject({ loadMs: 1 });
  });

  it("transfers a copy of the pixels, leaving the caller's array usable", () => {
    const { spawned, client } = setup();
    const rgba = new Uint8ClampedArray(224 * 224 * 4).fill(7);
    void client.classifyPixels(rgba, 224, 224).catch(() => undefined);
    const { msg, transfer } = spawned[0]?.received[0] ?? { msg: null, transfer: [] };
    expect(msg).toMatchObject({ type: 'classify-pixels', width: 224, height: 224 });
    expect(transfer).toHaveLength(1);
    expect(rgba.length).toBe(224 * 224 * 4);
    expect(rgba[0]).toBe(7);
    client.terminate();
  });
});
