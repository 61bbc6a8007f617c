// The message API for scripts and integrations: POST/GET /api/groups/:id/messages, and
// PATCH (the author's new text) / DELETE (the author, or a group owner or admin) of
// /api/groups/:id/messages/:messageId. It goes through the relay, so the change lands in the
// same Yjs document live clients hold and reaches them at once. Members only (404 otherwise).
import { Hono } from 'hono';
import {
  editMessageRequestSchema,
  listMessagesQuerySchema,
  messageIdSchema,
  moderatesMessages,
  postMessageRequestSchema,
} from '@canopy/shared';
import type { MessageId, UserId } from '@canopy/shared';
import type { Context } from 'hono';
import type { PostMessageInput } from '../relay/relay-types.js';
import type { AppEnv } from './context.js';
import { groupIdParam, readJson, readQuery, requireAuth } from './context.js';
import { requireMember } from './group-access.js';
import { notFound } from './api-error.js';
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

  app.patch('/:id/messages/:messageId', async (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    requireMember(services.groups, groupId, user.id);
    const messageId = messageIdParam(c);
    const body = await readJson(c, editMessageRequestSchema);
    await relay.editMessage(groupId, user.id as UserId, messageId, body.text);
    return c.body(null, 204);
  });

  app.delete('/:id/messages/:messageId', async (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    const access = requireMember(services.groups, groupId, user.id);
    const messageId = messageIdParam(c);
    const moderator = moderatesMessages(access.group.kind, access.role);
    await relay.deleteMessage(groupId, user.id as UserId, messageId, moderator);
    return c.body(null, 204);
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

/** An id that cannot name a message names none: 404 like an unknown one. */
function messageIdParam(c: Context<AppEnv>): MessageId {
  const parsed = messageIdSchema.safeParse(c.req.param('messageId'));
  if (!parsed.success) throw notFound('message');
  return parsed.data;
}
