// POST /api/auth/signup, /login, /logout.
import { Hono } from 'hono';
import { loginRequestSchema, signupRequestSchema } from '@canopy/shared';
import { deviceLabel } from '../auth/device-label.js';
import { toUser } from '../db/user-store.js';
import type { AppEnv } from './context.js';
import { endSession } from './end-session.js';
import { readJson, requestIp } from './context.js';
import { clearSessionCookie, setSessionCookie } from './middleware.js';
import type { RouteDeps } from './route-deps.js';

export function authRoutes({ services, relay }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { auth, config } = services;

  app.post('/signup', async (c) => {
    const body = await readJson(c, signupRequestSchema);
    const device = deviceLabel(c.req.header('user-agent'));
    const issued = await auth.signup(body, requestIp(c, config.trustProxy), device);
    setSessionCookie(c, services, issued.secret, issued.session);
    return c.json({ user: toUser(issued.user) }, 201);
  });

  app.post('/login', async (c) => {
    const body = await readJson(c, loginRequestSchema);
    const device = deviceLabel(c.req.header('user-agent'));
    const issued = await auth.login(body, requestIp(c, config.trustProxy), device);
    setSessionCookie(c, services, issued.secret, issued.session);
    return c.json({ user: toUser(issued.user) }, 200);
  });

  app.post('/logout', async (c) => {
    const current = c.get('auth');
    if (current) await endSession({ services, relay }, current.session.id);
    clearSessionCookie(c, services);
    return c.body(null, 204);
  });

  return app;
}
