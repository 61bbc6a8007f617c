// The signed-in user's own account: GET/PATCH /api/me, POST /api/me/password.
import { Hono } from 'hono';
import {
  changePasswordRequestSchema,
  CloseCode,
  ErrorCode,
  updateProfileRequestSchema,
} from '@canopy/shared';
import type { UserId } from '@canopy/shared';
import { toUser } from '../db/user-store.js';
import { ApiError } from './api-error.js';
import type { AppEnv } from './context.js';
import { readJson, requireAuth } from './context.js';
import { setSessionCookie } from './middleware.js';
import type { RouteDeps } from './route-deps.js';

export function meRoutes({ services, relay }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { users } = services;

  app.get('/', (c) => c.json({ user: toUser(requireAuth(c).user) }));

  app.patch('/', async (c) => {
    const { user } = requireAuth(c);
    const body = await readJson(c, updateProfileRequestSchema);
    if (body.email !== undefined && body.email !== user.email) {
      const owner = users.findByLogin(body.email);
      if (owner && owner.id !== user.id) {
        throw new ApiError(409, ErrorCode.EMAIL_TAKEN, 'that email is already registered');
      }
    }
    const patch: Parameters<typeof users.update>[1] = {};
    if (body.displayName !== undefined) patch.displayName = body.displayName;
    if (body.email !== undefined) patch.email = body.email;
    if (body.avatar !== undefined) patch.avatar = body.avatar;
    const updated = users.update(user.id, patch);
    if (!updated) throw new ApiError(404, ErrorCode.NOT_FOUND, 'user not found');
    return c.json({ user: toUser(updated) });
  });

  // Every session of the user ends (other devices are signed out; their sockets and event
  // streams close at once); this device continues with the fresh session in the cookie.
  app.post('/password', async (c) => {
    const { user, session } = requireAuth(c);
    const body = await readJson(c, changePasswordRequestSchema);
    const issued = await services.auth.changePassword(user, body.currentPassword, body.newPassword);
    relay.closeUser(user.id as UserId, CloseCode.SESSION_ENDED, 'password');
    services.hub.renameSession(session.id, issued.session.id);
    services.hub.endUser(user.id, 'password', { exceptSessionId: issued.session.id });
    setSessionCookie(c, services, issued.secret, issued.session);
    return c.json({ user: toUser(issued.user) });
  });

  return app;
}
