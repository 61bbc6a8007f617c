// Administration endpoints (admins only; the server refuses everyone else with 403).
import {
  adminUserListResponseSchema,
  auditLogResponseSchema,
  serverStatsSchema,
  userResponseSchema,
} from '@canopy/shared';
import type { AdminUpdateUserRequest, UserId } from '@canopy/shared';
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
};
