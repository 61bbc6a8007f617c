// POST /api/auth/signup, /login, /logout, /password-reset (ask for a link by email) and
// /password-reset/confirm (a new password with the link's code; every session ends).
import { Hono } from 'hono';
import {
  CloseCode,
  ErrorCode,
  loginRequestSchema,
  passwordResetConfirmSchema,
  passwordResetRequestSchema,
  signupRequestSchema,
} from '@canopy/shared';
import type { UserId } from '@canopy/shared';
import { deviceLabel } from '../auth/device-label.js';
import { toUser } from '../db/user-store.js';
import { ApiError } from './api-error.js';
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

  const resets = () => {
    if (!services.passwordResets) {
      throw new ApiError(
        404,
        ErrorCode.NOT_FOUND,
        'this server does not send password reset emails: ask an administrator',
      );
    }
    return services.passwordResets;
  };

  app.post('/password-reset', async (c) => {
    const sender = resets();
    const body = await readJson(c, passwordResetRequestSchema);
    sender.request(body.email, requestIp(c, config.trustProxy));
    return c.body(null, 202);
  });

  app.post('/password-reset/confirm', async (c) => {
    const sender = resets();
    const body = await readJson(c, passwordResetConfirmSchema);
    const userId = (await sender.confirm(
      body.code,
      body.newPassword,
      requestIp(c, config.trustProxy),
    )) as UserId;
    relay.closeUser(userId, CloseCode.SESSION_ENDED, 'password');
    services.hub.endUser(userId, 'password');
    return c.body(null, 204);
  });

  app.post('/logout', async (c) => {
    const current = c.get('auth');
    if (current) await endSession({ services, relay }, current.session.id);
    clearSessionCookie(c, services);
    return c.body(null, 204);
  });

  return app;
}
