// A member's own stars: PUT/DELETE /api/groups/:id/star and GET /api/stars. A change is
// announced on the member's own event streams only (their other devices follow); nobody
// else learns of it.
import { Hono } from 'hono';
import type { Star } from '@canopy/shared';
import type { AppEnv } from './context.js';
import { groupIdParam, requireAuth } from './context.js';
import { requireMember } from './group-access.js';
import type { RouteDeps } from './route-deps.js';

export function starRoutes({ services }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { groups, hub } = services;

  app.get('/stars', (c) => {
    const { user } = requireAuth(c);
    return c.json({ stars: groups.starsOf(user.id) });
  });

  // Starring again keeps the first moment: a retry or a second device changes nothing.
  app.put('/groups/:id/star', (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    requireMember(groups, groupId, user.id);
    const existing = groups.starsOf(user.id).find((s) => s.groupId === groupId);
    if (existing) return c.json({ star: existing });
    const star: Star = { groupId, at: Date.now() };
    groups.setStar(groupId, user.id, star.at);
    hub.publish([user.id], { type: 'star', groupId, star: { at: star.at } });
    return c.json({ star });
  });

  app.delete('/groups/:id/star', (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    requireMember(groups, groupId, user.id);
    groups.setStar(groupId, user.id, null);
    hub.publish([user.id], { type: 'star', groupId, star: null });
    return c.body(null, 204);
  });

  return app;
}
