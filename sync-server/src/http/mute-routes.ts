// A member's own mutes: PUT/DELETE /api/groups/:id/mute and GET /api/mutes. A change is
// announced on the member's own event streams only (their other devices follow); nobody
// else learns of it.
import { Hono } from 'hono';
import { ErrorCode, MAX_MUTE_MS, muteRequestSchema } from '@canopy/shared';
import type { Mute } from '@canopy/shared';
import { ApiError } from './api-error.js';
import type { AppEnv } from './context.js';
import { groupIdParam, readJson, requireAuth } from './context.js';
import { requireMember } from './group-access.js';
import type { RouteDeps } from './route-deps.js';

export function muteRoutes({ services }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { groups, memberSettings, hub } = services;

  app.get('/mutes', (c) => {
    const { user } = requireAuth(c);
    return c.json({ mutes: memberSettings.mutesOf(user.id) });
  });

  app.put('/groups/:id/mute', async (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    requireMember(groups, groupId, user.id);
    const { until } = await readJson(c, muteRequestSchema);
    const now = Date.now();
    if (until !== null && (until <= now || until > now + MAX_MUTE_MS)) {
      throw new ApiError(422, ErrorCode.VALIDATION, 'a mute ends within the next year', {
        until,
      });
    }
    memberSettings.setMute(groupId, user.id, until);
    const mute: Mute = { groupId, until };
    hub.publish([user.id], { type: 'mute', groupId, mute: { until } });
    return c.json({ mute });
  });

  app.delete('/groups/:id/mute', (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    requireMember(groups, groupId, user.id);
    memberSettings.setMute(groupId, user.id, false);
    hub.publish([user.id], { type: 'mute', groupId, mute: null });
    return c.body(null, 204);
  });

  return app;
}
