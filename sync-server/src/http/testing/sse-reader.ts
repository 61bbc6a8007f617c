// Reads a user's event stream (`GET /api/events`) in tests, one parsed UserEvent at a time.
import { userEventSchema } from '@canopy/shared';
import type { UserEvent } from '@canopy/shared';

/** Reads UserEvents from an SSE response body; `next()` waits (bounded) for the next one. */
export function sseReader(res: Response) {
  const reader: ReadableStreamDefaultReader<Uint8Array> = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  const queue: UserEvent[] = [];
  async function pump(): Promise<void> {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      return;
    }
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join('\n');
      if (data) queue.push(userEventSchema.parse(JSON.parse(data)));
    }
  }
  return {
    async next(timeoutMs = 2000): Promise<UserEvent> {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0) {
        if (ended) throw new Error('stream ended');
        if (Date.now() > deadline) throw new Error('no event in time');
        await Promise.race([pump(), new Promise((r) => setTimeout(r, deadline - Date.now()))]);
      }
      return queue.shift()!;
    },
    async ended(timeoutMs = 2000): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      while (!ended && Date.now() < deadline) {
        await Promise.race([pump(), new Promise((r) => setTimeout(r, deadline - Date.now()))]);
      }
      return ended;
    },
    cancel: () => reader.cancel(),
  };
}
