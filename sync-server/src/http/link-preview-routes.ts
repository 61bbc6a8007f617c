// GET /api/link-preview?url=: the title and description of a linked page, for signed-in
// users, 120 asks a minute each. The answer (a preview, or 404 when there is none) may be
// kept by the browser for a while, so a conversation scrolled again asks nothing.
import { Hono } from 'hono';
import { ErrorCode, linkPreviewQuerySchema } from '@canopy/shared';
import { createRateLimiter } from '../auth/rate-limiter.js';
import { ApiError, notFound, rateLimited } from './api-error.js';
import type { AppEnv } from './context.js';
import { readQuery, requireAuth } from './context.js';
import type { RouteDeps } from './route-deps.js';

const PER_MINUTE = 120;

export function linkPreviewRoutes({ services }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limiter = createRateLimiter({ limit: PER_MINUTE, windowMs: 60_000 });

  app.get('/link-preview', async (c) => {
    const { user } = requireAuth(c);
    const previews = services.linkPreviews;
    if (!previews) throw notFound('link preview (they are off on this server)');
    const { url } = readQuery(c, linkPreviewQuerySchema);
    const allowed = limiter.hit(user.id);
    if (!allowed.ok) throw rateLimited(allowed.retryAfterSeconds);
    const preview = await previews.preview(url);
    if (!preview) {
      throw new ApiError(404, ErrorCode.NOT_FOUND, 'this link has no preview', undefined, {
        'Cache-Control': 'private, max-age=600',
      });
    }
    c.header('Cache-Control', 'private, max-age=3600');
    return c.json({ preview });
  });

  return app;
}
