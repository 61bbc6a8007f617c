// The message API for scripts and integrations: POST/GET /api/groups/:id/messages. It
// goes through the relay, so the message lands in the same Yjs document live clients
// hold and reaches them at once. Members only (404 otherwise).
import { Hono } from 'hono';
import { listMessagesQuerySchema, postMessageRequestSchema } from '@canopy/shared';
import type { UserId } from '@canopy/shared';
import type { PostMessageInput } from '../relay/relay-types.js';
import type { AppEnv } from './context.js';
import { groupIdParam, readJson, readQuery, requireAuth } from './context.js';
import { requireMember } from './group-access.js';
import type { RouteDeps } from './route-deps.js';

export function messageRoutes({ services, relay }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/:id/messages', async (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    requireMember(services.groups, groupId, user.id);
    const body = await readJson(c, postMessageRequestSchema);
    const input: PostMessageInput = { text: body.text };
    if (body.replyTo !== undefined) input.replyTo = body.replyTo;
    const message = await relay.postMessage(groupId, user.id as UserId, input);
    return c.json({ message }, 201);
  });

  app.get('/:id/messages', async (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    requireMember(services.groups, groupId, user.id);
    const query = readQuery(c, listMessagesQuerySchema);
    const page = await relay.listMessages(
      groupId,
      query.before === undefined
        ? { limit: query.limit }
        : { limit: query.limit, before: query.before },
    );
    return c.json(page);
  });

  return app;
}
