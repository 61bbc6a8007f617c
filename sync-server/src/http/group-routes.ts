// Groups and memberships: /api/groups, /api/groups/:id, /api/groups/:id/members[/:userId].
// Every change is announced on the members' event streams and membership changes are
// audited; a removed member's sockets in the group close at once.
import { Hono } from 'hono';
import {
  addMemberRequestSchema,
  createGroupRequestSchema,
  ErrorCode,
  makeId,
  MAX_GROUP_MEMBERS,
  updateGroupRequestSchema,
  updateMemberRequestSchema,
} from '@canopy/shared';
import type { Group } from '@canopy/shared';
import type { GroupPatch } from '../db/group-store.js';
import { AuditAction } from '../audit.js';
import { ApiError, conflict, forbidden, notFound } from './api-error.js';
import type { AppEnv } from './context.js';
import { groupIdParam, readJson, requireAuth, userIdParam } from './context.js';
import { requireMember, requireModerator, requireNotDm } from './group-access.js';
import { announceGroup, removeMember } from './remove-member.js';
import type { RouteDeps } from './route-deps.js';

export function groupRoutes({ services, relay }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { groups, users, audit } = services;

  const announce = (group: Group): void => announceGroup({ services }, group);

  app.post('/', async (c) => {
    const { user } = requireAuth(c);
    const body = await readJson(c, createGroupRequestSchema);
    if (body.id !== undefined) {
      const existing = groups.get(body.id);
      if (existing) {
        // Retrying an offline creation: same creator gets the group back, anyone else a conflict.
        const same = existing.createdBy === user.id && existing.kind === 'group';
        if (same && groups.membership(existing.id, user.id).kind === 'member') {
          return c.json({ group: groups.load(existing.id)! }, 200);
        }
        throw conflict('a group with this id already exists');
      }
    }
    const others = [...new Set(body.members)].filter((id) => id !== user.id);
    if (others.length + 1 > MAX_GROUP_MEMBERS)
      throw conflict(`a group has at most ${MAX_GROUP_MEMBERS} members`);
    const unknown = others.filter((id) => {
      const row = users.get(id);
      return !row || row.banned;
    });
    if (unknown.length > 0) {
      throw new ApiError(422, ErrorCode.VALIDATION, 'some members do not exist', {
        unknownUserIds: unknown,
      });
    }
    const group = groups.create({
      id: body.id ?? makeId(),
      kind: 'group',
      name: body.name,
      createdBy: user.id,
      members: [
        { userId: user.id, role: 'owner' },
        ...others.map((userId) => ({ userId, role: 'member' as const })),
      ],
    });
    audit.write({
      action: AuditAction.groupCreated,
      actorId: user.id,
      groupId: group.id,
      details: { members: group.members.length },
    });
    announce(group);
    return c.json({ group }, 201);
  });

  app.get('/', (c) => {
    const { user } = requireAuth(c);
    return c.json({ groups: groups.listFor(user.id) });
  });

  app.get('/:id', (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    requireMember(groups, groupId, user.id);
    return c.json({ group: groups.load(groupId)! });
  });

  app.patch('/:id', async (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    const access = requireMember(groups, groupId, user.id);
    requireNotDm(access);
    requireModerator(access);
    const body = await readJson(c, updateGroupRequestSchema);
    // Switching it off stays possible after the operator removed the key.
    if (body.botEnabled === true && services.config.gemini.apiKey === null) {
      throw conflict('the assistant is not configured on this server');
    }
    const patch: GroupPatch = {};
    if (body.name !== undefined) patch.name = body.name;
    if (body.topic !== undefined) patch.topic = body.topic;
    if (body.botEnabled !== undefined) patch.botEnabled = body.botEnabled;
    if (body.imagePolicy !== undefined) patch.imagePolicy = body.imagePolicy;
    groups.update(groupId, patch);
    const group = groups.load(groupId)!;
    announce(group);
    return c.json({ group });
  });

  app.post('/:id/members', async (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    const access = requireMember(groups, groupId, user.id);
    requireNotDm(access);
    requireModerator(access);
    const body = await readJson(c, addMemberRequestSchema);
    const role = body.role ?? 'member';
    if (role === 'admin' && access.role !== 'owner')
      throw forbidden('only the owner may appoint admins');
    const target = users.get(body.userId);
    if (!target || target.banned) throw notFound('user');
    if (groups.membership(groupId, target.id).kind === 'member') throw conflict('already a member');
    if (groups.members(groupId).length >= MAX_GROUP_MEMBERS) {
      throw conflict(`a group has at most ${MAX_GROUP_MEMBERS} members`);
    }
    groups.addMember(groupId, target.id, role);
    audit.write({
      action: AuditAction.groupMemberAdded,
      actorId: user.id,
      targetId: target.id,
      groupId,
      details: { role },
    });
    const group = groups.load(groupId)!;
    announce(group);
    return c.json({ group }, 201);
  });

  // Roles are the owner's to give: admins, or ownership itself (the old owner becomes admin).
  app.patch('/:id/members/:userId', async (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    const targetId = userIdParam(c);
    const access = requireMember(groups, groupId, user.id);
    requireNotDm(access);
    const body = await readJson(c, updateMemberRequestSchema);
    if (access.role !== 'owner') throw forbidden('only the owner may change roles');
    const target = groups.membership(groupId, targetId);
    if (target.kind !== 'member') throw notFound('member');
    if (targetId === user.id) {
      if (body.role !== 'owner') throw conflict('transfer ownership to another member first');
    } else if (body.role === 'owner') {
      groups.transferOwnership(groupId, user.id, targetId);
    } else {
      groups.setRole(groupId, targetId, body.role);
    }
    audit.write({
      action: AuditAction.groupRoleChanged,
      actorId: user.id,
      targetId,
      groupId,
      details: { from: target.role, to: body.role },
    });
    const group = groups.load(groupId)!;
    announce(group);
    return c.json({ group });
  });

  // Removing someone else (owner: anyone; admin: plain members) or leaving (anyone).
  app.delete('/:id/members/:userId', (c) => {
    const { user } = requireAuth(c);
    const groupId = groupIdParam(c);
    const targetId = userIdParam(c);
    const access = requireMember(groups, groupId, user.id);
    requireNotDm(access);
    const leaving = targetId === user.id;
    if (!leaving) {
      requireModerator(access);
      const target = groups.membership(groupId, targetId);
      if (target.kind !== 'member') throw notFound('member');
      if (target.role === 'owner') throw forbidden('the owner cannot be removed');
      if (target.role === 'admin' && access.role !== 'owner')
        throw forbidden('only the owner may remove admins');
    }
    if (!removeMember({ services, relay }, groupId, targetId, user.id)) throw notFound('member');
    return c.body(null, 204);
  });

  return app;
}
