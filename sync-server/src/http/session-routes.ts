// A user's own sessions: GET /api/me/sessions lists them (the asking one marked current);
// DELETE /api/me/sessions/:id signs one other device out, DELETE /api/me/sessions every
// other one. An ended session's sockets and event streams close at once, and its device
// hears "session ended" and forgets the user's data, as after a logout there.
import { Hono } from 'hono';
import { sessionIdSchema } from '@canopy/shared';
import type { SessionSummary } from '@canopy/shared';
import { conflict, notFound } from './api-error.js';
import type { AppEnv } from './context.js';
import { requireAuth } from './context.js';
import { endSession } from './end-session.js';
import type { RouteDeps } from './route-deps.js';

export function sessionRoutes({ services, relay }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { sessions } = services;
  const end = (sessionId: string): Promise<void> => endSession({ services, relay }, sessionId);

  app.get('/', async (c) => {
    const { user, session } = requireAuth(c);
    const list: SessionSummary[] = (await sessions.listOf(user.id)).map((s) => ({
      ...s,
      current: s.id === session.id,
    }));
    return c.json({ sessions: list });
  });

  app.delete('/:id', async (c) => {
    const { user, session } = requireAuth(c);
    const id = sessionIdSchema.safeParse(c.req.param('id'));
    if (!id.success) throw notFound('session');
    if (id.data === session.id) throw conflict('this is the session in use: log out instead');
    const mine = await sessions.sessionIdsOf(user.id);
    if (!mine.includes(id.data)) throw notFound('session');
    await end(id.data);
    return c.body(null, 204);
  });

  app.delete('/', async (c) => {
    const { user, session } = requireAuth(c);
    for (const id of await sessions.sessionIdsOf(user.id)) if (id !== session.id) await end(id);
    return c.body(null, 204);
  });

  return app;
}
