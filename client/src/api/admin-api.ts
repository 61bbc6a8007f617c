// Administration endpoints (admins only; the server refuses everyone else with 403): users,
// audit log, stats, and who may sign up (policy and invite links).
import {
  adminUserListResponseSchema,
  auditLogResponseSchema,
  createInviteResponseSchema,
  inviteListResponseSchema,
  serverStatsSchema,
  signupSettingsSchema,
  userResponseSchema,
} from '@canopy/shared';
import type {
  AdminUpdateUserRequest,
  CreateInviteRequest,
  SignupPolicy,
  UserId,
} from '@canopy/shared';
import { apiRequest } from './http.js';

const user = (id: UserId): string => `/api/admin/users/${encodeURIComponent(id)}`;

export const adminApi = {
  users: async () =>
    (await apiRequest('/api/admin/users', { schema: adminUserListResponseSchema })).users,
  updateUser: async (id: UserId, body: AdminUpdateUserRequest) =>
    (await apiRequest(user(id), { method: 'PATCH', body, schema: userResponseSchema })).user,
  resetPassword: (id: UserId, newPassword: string) =>
    apiRequest(`${user(id)}/password`, { method: 'POST', body: { newPassword } }),
  audit: async () =>
    (await apiRequest('/api/admin/audit', { schema: auditLogResponseSchema })).entries,
  stats: () => apiRequest('/api/admin/stats', { schema: serverStatsSchema }),
  signupPolicy: async () =>
    (await apiRequest('/api/admin/signup', { schema: signupSettingsSchema })).policy,
  setSignupPolicy: async (policy: SignupPolicy) =>
    (
      await apiRequest('/api/admin/signup', {
        method: 'PUT',
        body: { policy },
        schema: signupSettingsSchema,
      })
    ).policy,
  invites: async () =>
    (await apiRequest('/api/admin/invites', { schema: inviteListResponseSchema })).invites,
  createInvite: (body: CreateInviteRequest) =>
    apiRequest('/api/admin/invites', { method: 'POST', body, schema: createInviteResponseSchema }),
  revokeInvite: (id: string) =>
    apiRequest(`/api/admin/invites/${encodeURIComponent(id)}`, { method: 'DELETE' }),
};
