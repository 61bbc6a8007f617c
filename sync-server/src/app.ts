// createApp: the Hono application (HTTP API + built client). It never listens; server.ts
// hands it to @hono/node-server, tests call app.request(). Order matters: request id,
// security headers, body limit, Origin check, session, routes; one error funnel.
import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { Logger } from './log.js';
import { adminRoutes } from './http/admin-routes.js';
import { signupRoutes } from './http/signup-routes.js';
import { authRoutes } from './http/auth-routes.js';
import { blobCsp, blobRoutes, isUploadPath } from './http/blob-routes.js';
import { muteRoutes } from './http/mute-routes.js';
import { flagRoutes } from './http/flag-routes.js';
import { linkPreviewRoutes } from './http/link-preview-routes.js';
import { sessionRoutes } from './http/session-routes.js';
import { configRoutes } from './http/config-routes.js';
import type { AppEnv } from './http/context.js';
import { dmRoutes } from './http/dm-routes.js';
import { eventRoutes } from './http/event-routes.js';
import { groupRoutes } from './http/group-routes.js';
import { meRoutes } from './http/me-routes.js';
import { messageRoutes } from './http/message-routes.js';
import {
  apiNotFound,
  errorHandler,
  originCheck,
  securityHeaders,
  sessionLoader,
} from './http/middleware.js';
import type { AppRelay, RouteDeps } from './http/route-deps.js';
import type { Services } from './http/services.js';
import { staticClient } from './http/static-client.js';
import { uploadRoutes } from './http/upload-routes.js';
import { isResumablePath } from './http/resumable-uploads.js';
import { userRoutes } from './http/user-routes.js';

/** JSON APIs take small bodies; uploads (blobs, avatars) stream to disk with their own limit. */
export const JSON_BODY_LIMIT = 64 * 1024;

export interface AppDeps {
  services: Services;
  relay: AppRelay;
  log: Logger;
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { services, log } = deps;
  const routeDeps: RouteDeps = { services, relay: deps.relay, log: log.child({ mod: 'http' }) };
  const app = new Hono<AppEnv>();

  app.use(requestId());
  // Outside the security headers: blobs keep their own, stricter CSP.
  app.use(blobCsp());
  app.use(securityHeaders());
  const jsonLimit: MiddlewareHandler<AppEnv> = bodyLimit({ maxSize: JSON_BODY_LIMIT });
  app.use(async (c, next) => {
    const path = c.req.path;
    if (!path.startsWith('/api/') || isUploadPath(path) || isResumablePath(path)) return next();
    return jsonLimit(c, next);
  });
  app.use(originCheck(services));
  app.use('/api/*', sessionLoader(services));

  app.route('/api/config', configRoutes(routeDeps));
  app.route('/api/auth', authRoutes(routeDeps));
  app.route('/api/me/sessions', sessionRoutes(routeDeps));
  app.route('/api/me', meRoutes(routeDeps));
  app.route('/api/users', userRoutes(routeDeps));
  app.route('/api/groups', groupRoutes(routeDeps));
  app.route('/api/groups', messageRoutes(routeDeps));
  app.route('/api', blobRoutes(routeDeps));
  app.route('/api', muteRoutes(routeDeps));
  app.route('/api', flagRoutes(routeDeps));
  app.route('/api', linkPreviewRoutes(routeDeps));
  app.route('/api/uploads', uploadRoutes(routeDeps));
  app.route('/api/dms', dmRoutes(routeDeps));
  app.route('/api/events', eventRoutes(routeDeps));
  app.route('/api/admin', adminRoutes(routeDeps));
  app.route('/api/admin', signupRoutes(routeDeps));

  const client = staticClient(services.config.clientDir);
  if (client) app.route('/', client);

  app.notFound(apiNotFound);
  app.onError(errorHandler(routeDeps.log));
  return app;
}
