// The user directory: GET /api/users?q= (prefix search, for adding members),
// GET /api/users/:id and POST /api/users/lookup {ids} (many profiles in one request, for a
// device refreshing the people it has cached). Signed-in users only; public fields only.
import { Hono } from 'hono';
import { z } from 'zod';
import { userLookupRequestSchema } from '@canopy/shared';
import { toPublicUser } from '../db/user-store.js';
import { notFound } from './api-error.js';
import type { AppEnv } from './context.js';
import { readJson, readQuery, requireAuth, userIdParam } from './context.js';
import type { RouteDeps } from './route-deps.js';

const SEARCH_LIMIT = 20;
const searchQuerySchema = z.object({ q: z.string().trim().max(64).default('') });

export function userRoutes({ services }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/', (c) => {
    requireAuth(c);
    const { q } = readQuery(c, searchQuerySchema);
    return c.json({ users: services.users.search(q, SEARCH_LIMIT).map(toPublicUser) });
  });

  app.post('/lookup', async (c) => {
    requireAuth(c);
    const { ids } = await readJson(c, userLookupRequestSchema);
    const rows = [...new Set(ids)].map((id) => services.users.get(id));
    return c.json({ users: rows.filter((row) => row !== undefined).map(toPublicUser) });
  });

  app.get('/:userId', (c) => {
    requireAuth(c);
    const row = services.users.get(userIdParam(c));
    if (!row) throw notFound('user');
    return c.json({ user: toPublicUser(row) });
  });

  return app;
}
