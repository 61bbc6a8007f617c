// A local stand-in for the Gemini API, for the server's real @google/generative-ai SDK
// (pointed here with GEMINI_BASE_URL). Implements only
//   POST /v1beta/models/<model>:streamGenerateContent?alt=sse
// answering with Server-Sent Events, one GenerateContentResponse per `data:` line, in the
// chunks given. Records every request (path, headers, parsed body). Error mode: a status
// with Google's error body. Registers its own teardown.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerCleanup } from './cleanup.js';

export interface FakeGeminiRequest {
  model: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** the parsed JSON body */
  body: unknown;
  /** the raw body, for "contains" checks */
  raw: string;
  /** how the answer ended: sent in full, or the client went away first */
  outcome?: 'complete' | 'aborted';
}

export type FakeGeminiReply =
  | {
      chunks: string[];
      /** pause between chunks (default: one event-loop turn) */ delayMs?: number;
    }
  | { status: number; message?: string };

export interface FakeGemini {
  /** base URL for GEMINI_BASE_URL */
  url: string;
  requests: FakeGeminiRequest[];
  /** What the next requests get (default: a two-chunk answer). */
  reply(next: FakeGeminiReply): void;
  close(): Promise<void>;
}

const STREAM_PATH = /^\/v1beta\/models\/([^/:]+):streamGenerateContent$/;

function sseChunk(text: string): string {
  const response = { candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0 }] };
  return `data: ${JSON.stringify(response)}\r\n\r\n`;
}

export async function startFakeGemini(): Promise<FakeGemini> {
  const requests: FakeGeminiRequest[] = [];
  let next: FakeGeminiReply = { chunks: ['Hello', ' there'] };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = STREAM_PATH.exec(url.pathname);
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      if (req.method !== 'POST' || !match || url.searchParams.get('alt') !== 'sse') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      const raw = Buffer.concat(parts).toString('utf8');
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        body = null; // recorded as is; the test looks at `raw`
      }
      const entry: FakeGeminiRequest = {
        model: match[1]!,
        path: url.pathname,
        headers: req.headers,
        body,
        raw,
      };
      requests.push(entry);
      res.on('close', () => (entry.outcome = res.writableEnded ? 'complete' : 'aborted'));
      const reply = next;
      if ('status' in reply) {
        const error = {
          code: reply.status,
          message: reply.message ?? 'fake failure',
          status: 'INTERNAL',
        };
        res
          .writeHead(reply.status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      // The answer really arrives in pieces, each in its own write.
      const send = (i: number): void => {
        if (res.destroyed) return; // the SDK gave up (abort): nothing left to send
        if (i >= reply.chunks.length) {
          res.end();
          return;
        }
        res.write(sseChunk(reply.chunks[i]!));
        if (reply.delayMs) setTimeout(() => send(i + 1), reply.delayMs);
        else setImmediate(() => send(i + 1));
      };
      send(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }));
  registerCleanup(close, { scope: 'file' });
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(value) {
      next = value;
    },
    close,
  };
}
