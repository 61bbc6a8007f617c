// Typed endpoints of the Canopy HTTP API (paths per the sync-server contract). Plain
// functions over apiRequest; no state, no caching (that lives in sync/local-cache).
import {
  flagListResponseSchema,
  flagResponseSchema,
  groupListResponseSchema,
  groupResponseSchema,
  linkPreviewResponseSchema,
  listMessagesResponseSchema,
  muteListResponseSchema,
  notificationSettingsSchema,
  muteResponseSchema,
  sessionListResponseSchema,
  userResponseSchema,
  userSearchResponseSchema,
} from '@canopy/shared';
import type {
  ChangePasswordRequest,
  ConversationFlag,
  CreateGroupRequest,
  DeleteAccountRequest,
  GroupId,
  GroupRole,
  LoginRequest,
  NotificationSettings,
  PasswordResetConfirm,
  PasswordResetRequest,
  SignupRequest,
  UpdateGroupRequest,
  UpdateProfileRequest,
  User,
  UserId,
} from '@canopy/shared';
import { ApiError, NetworkError } from './api-error.js';
import { apiRequest, toApiError } from './http.js';

const g = (id: GroupId): string => `/api/groups/${encodeURIComponent(id)}`;

export const api = {
  signup: async (body: SignupRequest) =>
    (await apiRequest('/api/auth/signup', { method: 'POST', body, schema: userResponseSchema }))
      .user,
  login: async (body: LoginRequest) =>
    (await apiRequest('/api/auth/login', { method: 'POST', body, schema: userResponseSchema }))
      .user,
  logout: () => apiRequest('/api/auth/logout', { method: 'POST' }),
  deleteAccount: (body: DeleteAccountRequest) => apiRequest('/api/me', { method: 'DELETE', body }),
  requestPasswordReset: (body: PasswordResetRequest) =>
    apiRequest('/api/auth/password-reset', { method: 'POST', body }),
  confirmPasswordReset: (body: PasswordResetConfirm) =>
    apiRequest('/api/auth/password-reset/confirm', { method: 'POST', body }),
  me: async () => (await apiRequest('/api/me', { schema: userResponseSchema })).user,
  updateProfile: async (body: UpdateProfileRequest) =>
    (await apiRequest('/api/me', { method: 'PATCH', body, schema: userResponseSchema })).user,
  /** Every other session of the user ends; this one continues with a fresh cookie. */
  changePassword: async (body: ChangePasswordRequest) =>
    (
      await apiRequest('/api/me/password', {
        method: 'POST',
        body,
        schema: userResponseSchema,
      })
    ).user,
  putAvatar: (image: Blob) => putAvatar(image),
  removeAvatar: async () =>
    (await apiRequest('/api/me/avatar', { method: 'DELETE', schema: userResponseSchema })).user,

  /** Where I am signed in (this device marked current). */
  listSessions: async () =>
    (await apiRequest('/api/me/sessions', { schema: sessionListResponseSchema })).sessions,
  /** Sign another device out; without an id, every other device. */
  endSessions: (id?: string) =>
    apiRequest(id ? `/api/me/sessions/${encodeURIComponent(id)}` : '/api/me/sessions', {
      method: 'DELETE',
    }),
  searchUsers: async (q: string, signal?: AbortSignal) =>
    (
      await apiRequest(`/api/users?q=${encodeURIComponent(q)}`, {
        schema: userSearchResponseSchema,
        ...(signal ? { signal } : {}),
      })
    ).users,

  /** Public profiles by id, at most MAX_USER_LOOKUP per call; unknown ids are left out. */
  lookupUsers: async (ids: UserId[]) =>
    (
      await apiRequest('/api/users/lookup', {
        method: 'POST',
        body: { ids },
        schema: userSearchResponseSchema,
      })
    ).users,

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

  /** `until`: the end of the mute (ms), or null for "until I unmute". */
  mute: async (id: GroupId, until: number | null) =>
    (
      await apiRequest(`${g(id)}/mute`, {
        method: 'PUT',
        body: { until },
        schema: muteResponseSchema,
      })
    ).mute,
  unmute: (id: GroupId) => apiRequest(`${g(id)}/mute`, { method: 'DELETE' }),
  listMutes: async () => (await apiRequest('/api/mutes', { schema: muteListResponseSchema })).mutes,
  setFlag: async (id: GroupId, flag: ConversationFlag) =>
    (await apiRequest(`${g(id)}/flags/${flag}`, { method: 'PUT', schema: flagResponseSchema }))
      .flag,
  clearFlag: (id: GroupId, flag: ConversationFlag) =>
    apiRequest(`${g(id)}/flags/${flag}`, { method: 'DELETE' }),
  listFlags: async () => (await apiRequest('/api/flags', { schema: flagListResponseSchema })).flags,
  linkPreview: async (url: string) =>
    (
      await apiRequest(`/api/link-preview?url=${encodeURIComponent(url)}`, {
        schema: linkPreviewResponseSchema,
      })
    ).preview,
  notificationSettings: () =>
    apiRequest('/api/me/notifications', { schema: notificationSettingsSchema }),
  setNotificationSettings: (body: NotificationSettings) =>
    apiRequest('/api/me/notifications', {
      method: 'PUT',
      body,
      schema: notificationSettingsSchema,
    }),

  lastMessages: async (id: GroupId, limit: number) =>
    apiRequest(`${g(id)}/messages?limit=${limit}`, { schema: listMessagesResponseSchema }),
};
export type Api = typeof api;

/** The picture's bytes as the body (apiRequest sends JSON); errors as apiRequest's. */
async function putAvatar(image: Blob): Promise<User> {
  let res: Response;
  try {
    res = await fetch('/api/me/avatar', {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': image.type },
      body: image,
    });
  } catch (cause) {
    throw new NetworkError('network request failed', { cause });
  }
  if (!res.ok) throw await toApiError(res);
  const parsed = userResponseSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success)
    throw new ApiError(res.status, 'bad_response', 'The server sent an unexpected answer.');
  return parsed.data.user;
}
