// GET /api/events: the caller's Server-Sent Events stream of UserEvents (group changes,
// removals, unread hints, DM partners' presence, session end). Each event's SSE name is its
// `type` and its data one JSON object. A comment every 25 s keeps proxies from timing the
// stream out.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { ErrorCode } from '@canopy/shared';
import type { UserEvent } from '@canopy/shared';
import { ApiError } from './api-error.js';
import type { AppEnv } from './context.js';
import { requireAuth } from './context.js';
import type { RouteDeps } from './route-deps.js';

export const KEEP_ALIVE_MS = 25_000;
/** streams per user (tabs, devices); more is a leak or abuse, and each holds a socket */
export const MAX_STREAMS_PER_USER = 16;

export function eventRoutes({ services, log }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/', (c) => {
    const { user, session } = requireAuth(c);
    if (services.hub.countFor(user.id) >= MAX_STREAMS_PER_USER) {
      throw new ApiError(429, ErrorCode.RATE_LIMITED, 'too many open event streams');
    }
    c.header('Cache-Control', 'no-cache');
    // Tell reverse proxies (nginx) not to buffer the stream.
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let closed = false;
      let finish!: () => void;
      const done = new Promise<void>((resolve) => (finish = resolve));
      // Writes are queued in order; a failed write means the client went away.
      let chain: Promise<unknown> = Promise.resolve();
      const write = (fn: () => Promise<unknown>) => {
        chain = chain.then(fn).catch((err: unknown) => {
          log.debug({ err, userId: user.id }, 'event stream write failed');
          stop();
        });
      };
      const send = (event: UserEvent) => {
        if (closed) return;
        write(() => stream.writeSSE({ event: event.type, data: JSON.stringify(event) }));
      };
      const unsubscribe = services.hub.subscribe(user.id, session.id, {
        send,
        end: () =>
          write(() => {
            stop();
            return Promise.resolve();
          }),
      });
      services.presence.opened(user.id, send);
      const keepAlive = setInterval(() => {
        if (!closed) write(() => stream.write(': keep-alive\n\n'));
      }, KEEP_ALIVE_MS);
      function stop(): void {
        if (closed) return;
        closed = true;
        clearInterval(keepAlive);
        unsubscribe();
        services.presence.closed(user.id);
        finish();
      }
      stream.onAbort(stop);
      // An initial comment flushes the headers so the client sees the stream open.
      write(() => stream.write(': connected\n\n'));
      await done;
      await chain;
    });
  });

  return app;
}
