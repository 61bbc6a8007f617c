// The tus endpoint of resumable attachment uploads (see resumable-uploads.ts): signed-in users
// only; everything else about the protocol is @tus/server's.
import { Hono } from 'hono';
import type { AppContext, AppEnv } from './context.js';
import { requireAuth } from './context.js';
import type { RouteDeps } from './route-deps.js';

export function uploadRoutes({ services }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const handle = (c: AppContext): Promise<Response> => {
    const { user } = requireAuth(c);
    return services.uploads.handle(c.req.raw, user.id);
  };
  app.all('/', handle);
  app.all('/:id', handle);
  return app;
}
