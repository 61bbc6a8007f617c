// Typed endpoints of the Canopy HTTP API (paths per the sync-server contract). Plain
// functions over apiRequest; no state, no caching (that lives in sync/local-cache).
import {
  groupListResponseSchema,
  groupResponseSchema,
  listMessagesResponseSchema,
  userResponseSchema,
  userSearchResponseSchema,
} from '@canopy/shared';
import { z } from 'zod';
import { publicUserSchema } from '@canopy/shared';
import type {
  CreateGroupRequest,
  GroupId,
  GroupRole,
  LoginRequest,
  SignupRequest,
  UpdateGroupRequest,
  UserId,
} from '@canopy/shared';
import { apiRequest } from './http.js';

const publicUserResponseSchema = z.object({ user: publicUserSchema });

const g = (id: GroupId): string => `/api/groups/${encodeURIComponent(id)}`;

export const api = {
  signup: async (body: SignupRequest) =>
    (await apiRequest('/api/auth/signup', { method: 'POST', body, schema: userResponseSchema }))
      .user,
  login: async (body: LoginRequest) =>
    (await apiRequest('/api/auth/login', { method: 'POST', body, schema: userResponseSchema }))
      .user,
  logout: () => apiRequest('/api/auth/logout', { method: 'POST' }),
  me: async () => (await apiRequest('/api/me', { schema: userResponseSchema })).user,

  searchUsers: async (q: string, signal?: AbortSignal) =>
    (
      await apiRequest(`/api/users?q=${encodeURIComponent(q)}`, {
        schema: userSearchResponseSchema,
        ...(signal ? { signal } : {}),
      })
    ).users,

  getUser: async (id: UserId) =>
    (await apiRequest(`/api/users/${encodeURIComponent(id)}`, { schema: publicUserResponseSchema }))
      .user,

  listGroups: async () =>
    (await apiRequest('/api/groups', { schema: groupListResponseSchema })).groups,
  getGroup: async (id: GroupId) => (await apiRequest(g(id), { schema: groupResponseSchema })).group,
  createGroup: async (body: CreateGroupRequest) =>
    (await apiRequest('/api/groups', { method: 'POST', body, schema: groupResponseSchema })).group,
  createDm: async (userId: UserId) =>
    (
      await apiRequest('/api/dms', {
        method: 'POST',
        body: { userId },
        schema: groupResponseSchema,
      })
    ).group,
  updateGroup: async (id: GroupId, body: UpdateGroupRequest) =>
    (await apiRequest(g(id), { method: 'PATCH', body, schema: groupResponseSchema })).group,
  addMember: (id: GroupId, userId: UserId) =>
    apiRequest(`${g(id)}/members`, { method: 'POST', body: { userId } }),
  setRole: (id: GroupId, userId: UserId, role: GroupRole) =>
    apiRequest(`${g(id)}/members/${encodeURIComponent(userId)}`, {
      method: 'PATCH',
      body: { role },
    }),
  /** Removing oneself is leaving the group. */
  removeMember: (id: GroupId, userId: UserId) =>
    apiRequest(`${g(id)}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' }),

  lastMessages: async (id: GroupId, limit: number) =>
    apiRequest(`${g(id)}/messages?limit=${limit}`, { schema: listMessagesResponseSchema }),
};
export type Api = typeof api;
