// Administration (role admin only): users (ban, role, password reset), the audit log and
// server statistics. A ban ends the user's sessions, sockets and event streams at once.
import { Hono } from 'hono';
import { count } from 'drizzle-orm';
import { z } from 'zod';
import {
  adminResetPasswordRequestSchema,
  adminUpdateUserRequestSchema,
  CloseCode,
} from '@canopy/shared';
import type { ServerStats } from '@canopy/shared';
import { AuditAction } from '../audit.js';
import { docUpdates } from '../db/schema.js';
import { toUser } from '../db/user-store.js';
import { conflict, notFound } from './api-error.js';
import type { AppEnv } from './context.js';
import { readJson, readQuery, requireAdmin, userIdParam } from './context.js';
import type { RouteDeps } from './route-deps.js';

const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
});

const MAX_LISTED_USERS = 10_000;

export function adminRoutes({ services, relay }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { users, audit, hub, sessions } = services;

  app.get('/users', (c) => {
    requireAdmin(c);
    return c.json({ users: users.list(MAX_LISTED_USERS).map(toUser) });
  });

  app.patch('/users/:userId', async (c) => {
    const admin = requireAdmin(c);
    const targetId = userIdParam(c);
    const body = await readJson(c, adminUpdateUserRequestSchema);
    const target = users.get(targetId);
    if (!target) throw notFound('user');
    if (target.deletedAt !== null) throw conflict('this account was deleted');
    // An admin locking themselves out could leave the server without any admin.
    if (targetId === admin.id && (body.banned === true || body.role === 'user')) {
      throw conflict('you cannot ban or demote yourself');
    }
    const patch: { role?: 'user' | 'admin'; banned?: boolean } = {};
    if (body.role !== undefined && body.role !== target.role) patch.role = body.role;
    if (body.banned !== undefined && body.banned !== target.banned) patch.banned = body.banned;
    const updated = users.update(targetId, patch)!;
    if (patch.role !== undefined) {
      audit.write({
        action: AuditAction.userRoleChanged,
        actorId: admin.id,
        targetId,
        details: { from: target.role, to: patch.role },
      });
    }
    if (patch.banned === true) {
      await sessions.invalidateUser(targetId);
      relay.closeUser(targetId, CloseCode.BANNED, 'banned');
      hub.endUser(targetId, 'banned');
      audit.write({ action: AuditAction.userBanned, actorId: admin.id, targetId });
    } else if (patch.banned === false) {
      audit.write({ action: AuditAction.userUnbanned, actorId: admin.id, targetId });
    }
    return c.json({ user: toUser(updated) });
  });

  app.post('/users/:userId/password', async (c) => {
    const admin = requireAdmin(c);
    const targetId = userIdParam(c);
    const body = await readJson(c, adminResetPasswordRequestSchema);
    const target = users.get(targetId);
    if (!target) throw notFound('user');
    if (target.deletedAt !== null) throw conflict('this account was deleted');
    await services.auth.resetPassword(admin.id, target, body.newPassword);
    relay.closeUser(targetId, CloseCode.SESSION_ENDED, 'password');
    hub.endUser(targetId, 'password');
    return c.body(null, 204);
  });

  app.get('/audit', (c) => {
    requireAdmin(c);
    const query = readQuery(c, auditQuerySchema);
    return c.json({ entries: audit.list(query) });
  });

  app.get('/stats', (c) => {
    requireAdmin(c);
    const relayStats = relay.stats();
    const stats: ServerStats = {
      users: users.count(),
      groups: services.groups.count(),
      openRooms: relayStats.openRooms,
      connections: relayStats.connections,
      storedUpdates: services.db.select({ n: count() }).from(docUpdates).get()?.n ?? 0,
      uptimeSeconds: (Date.now() - services.startedAt) / 1000,
      rssBytes: process.memoryUsage.rss(),
    };
    return c.json(stats);
  });

  return app;
}
