// POST /api/dms {userId}: the one direct-message group of a pair, created on first use.
// The pair's dm_key has a unique index, so there is never a second one.
import { Hono } from 'hono';
import { createDmRequestSchema, ErrorCode, makeId } from '@canopy/shared';
import { dmKeyOf } from '../db/group-store.js';
import { ApiError, notFound } from './api-error.js';
import type { AppEnv } from './context.js';
import { readJson, requireAuth } from './context.js';
import type { RouteDeps } from './route-deps.js';

export function dmRoutes({ services }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { groups, users, hub, presence } = services;

  app.post('/', async (c) => {
    const { user } = requireAuth(c);
    const { userId } = await readJson(c, createDmRequestSchema);
    if (userId === user.id)
      throw new ApiError(400, ErrorCode.BAD_REQUEST, 'a direct message needs another user');
    const other = users.get(userId);
    if (!other || other.banned) throw notFound('user');
    const key = dmKeyOf(user.id, other.id);
    const existing = groups.findDm(key);
    if (existing) return c.json({ group: existing }, 200);
    const group = groups.create({
      id: makeId(),
      kind: 'dm',
      name: '',
      createdBy: user.id,
      dmKey: key,
      members: [
        { userId: user.id, role: 'member' },
        { userId: other.id, role: 'member' },
      ],
    });
    hub.publish([user.id, other.id], { type: 'group', group });
    presence.introduce(user.id, other.id);
    return c.json({ group }, 201);
  });

  return app;
}
