// A member's own flags of their conversations (star, unread): GET /api/flags and
// PUT/DELETE /api/groups/:id/flags/:flag. A change is announced on the member's own event
// streams only (their other devices follow); nobody else learns of it.
import { Hono } from 'hono';
import { ErrorCode, conversationFlagSchema } from '@canopy/shared';
import type { ConversationFlag, Flag } from '@canopy/shared';
import { ApiError } from './api-error.js';
import type { AppContext, AppEnv } from './context.js';
import { groupIdParam, requireAuth } from './context.js';
import { requireMember } from './group-access.js';
import type { RouteDeps } from './route-deps.js';

function flagParam(c: AppContext): ConversationFlag {
  const parsed = conversationFlagSchema.safeParse(c.req.param('flag'));
  if (!parsed.success) throw new ApiError(404, ErrorCode.NOT_FOUND, 'no such flag');
  return parsed.data;
}

export function flagRoutes({ services }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { groups, memberSettings, hub } = services;

  app.get('/flags', (c) => {
    const { user } = requireAuth(c);
    return c.json({ flags: memberSettings.flagsOf(user.id) });
  });

  // Setting a flag again keeps the first moment: a retry or a second device changes nothing.
  app.put('/groups/:id/flags/:flag', (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    const flag = flagParam(c);
    requireMember(groups, groupId, user.id);
    const existing = memberSettings
      .flagsOf(user.id)
      .find((f) => f.groupId === groupId && f.flag === flag);
    if (existing) return c.json({ flag: existing });
    const set: Flag = { groupId, flag, at: Date.now() };
    memberSettings.setFlag(groupId, user.id, flag, set.at);
    hub.publish([user.id], { type: 'flag', groupId, flag, at: set.at });
    return c.json({ flag: set });
  });

  app.delete('/groups/:id/flags/:flag', (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    const flag = flagParam(c);
    requireMember(groups, groupId, user.id);
    memberSettings.setFlag(groupId, user.id, flag, null);
    hub.publish([user.id], { type: 'flag', groupId, flag, at: null });
    return c.body(null, 204);
  });

  return app;
}
