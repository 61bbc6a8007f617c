// The signed-in user's own account: GET/PATCH /api/me, POST /api/me/password,
// PUT/DELETE /api/me/avatar (raw PNG/JPEG/GIF/WebP bytes, stored as a blob with scope
// 'avatar', readable by every signed-in user), GET/PUT /api/me/notifications, and DELETE
// /api/me (the account, with its password).
import { Hono } from 'hono';
import {
  changePasswordRequestSchema,
  CloseCode,
  ErrorCode,
  deleteAccountRequestSchema,
  notificationSettingsSchema,
  updateProfileRequestSchema,
} from '@canopy/shared';
import type { NotificationSettings, UserId } from '@canopy/shared';
import { AVATAR_SCOPE } from '../blobs/blob-store.js';
import { toPublicUser, toUser } from '../db/user-store.js';
import type { UserRow } from '../db/user-store.js';
import { AuditAction } from '../audit.js';
import { ApiError, conflict } from './api-error.js';
import { ingestUpload, logStored } from './blob-routes.js';
import type { AppEnv } from './context.js';
import { readJson, requireAuth } from './context.js';
import { clearSessionCookie, setSessionCookie } from './middleware.js';
import { removeMember } from './remove-member.js';
import type { RouteDeps } from './route-deps.js';

/** Avatars are small pictures; the client scales them down before upload. */
export const MAX_AVATAR_BYTES = 2 * 1024 * 1024;

export function meRoutes({ services, relay, log }: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { users, blobs } = services;

  /** users.avatar and the user's avatar refs change together (no await in between). */
  function setAvatar(userId: string, sha256: string | null): UserRow {
    blobs.keepOnlyAvatar(userId, sha256);
    const updated = users.update(userId, { avatar: sha256 });
    if (!updated) throw new ApiError(404, ErrorCode.NOT_FOUND, 'user not found');
    return announced(updated);
  }

  /** Everyone who shares a group with the user (and the user's other tabs) sees the change. */
  function announced(row: UserRow): UserRow {
    services.hub.publish(services.groups.contactsOf(row.id), {
      type: 'user',
      user: toPublicUser(row),
    });
    return row;
  }

  app.get('/', (c) => c.json({ user: toUser(requireAuth(c).user) }));

  app.get('/notifications', (c) =>
    c.json({ email: requireAuth(c).user.emailNotifications } satisfies NotificationSettings),
  );

  app.put('/notifications', async (c) => {
    const { user } = requireAuth(c);
    const body = await readJson(c, notificationSettingsSchema);
    users.update(user.id, { emailNotifications: body.email });
    return c.json(body satisfies NotificationSettings);
  });

  app.patch('/', async (c) => {
    const { user } = requireAuth(c);
    const body = await readJson(c, updateProfileRequestSchema);
    if (body.email !== undefined && body.email !== user.email) {
      const owner = users.findByLogin(body.email);
      if (owner && owner.id !== user.id) {
        throw new ApiError(409, ErrorCode.EMAIL_TAKEN, 'that email is already registered');
      }
    }
    const patch: Parameters<typeof users.update>[1] = {};
    if (body.displayName !== undefined) patch.displayName = body.displayName;
    if (body.email !== undefined) patch.email = body.email;
    // Only a picture this user uploaded with PUT /avatar: a hash alone must not make
    // someone else's private blob readable to everyone as an avatar.
    if (body.avatar !== undefined && body.avatar !== null) {
      if (!blobs.hasRef(body.avatar, AVATAR_SCOPE, user.id)) {
        throw new ApiError(
          422,
          ErrorCode.VALIDATION,
          'avatar must be a picture you uploaded with PUT /api/me/avatar',
        );
      }
    }
    if (body.avatar === null) blobs.keepOnlyAvatar(user.id, null);
    if (body.avatar !== undefined) patch.avatar = body.avatar;
    const updated = users.update(user.id, patch);
    if (!updated) throw new ApiError(404, ErrorCode.NOT_FOUND, 'user not found');
    return c.json({ user: toUser(announced(updated)) });
  });

  // Every other session of the user ends (other devices are signed out; their sockets and
  // event streams close at once); this device continues with the fresh session in the cookie,
  // and its open sockets and event stream carry over to it.
  // Deleting one's account: the person leaves every group (their messages stay, by "Deleted
  // user"), keeps DMs readable for the other side, and their row is emptied of them
  // (users.anonymize). Every session ends. The last administrator cannot leave the server
  // without one.
  app.delete('/', async (c) => {
    const { user } = requireAuth(c);
    const body = await readJson(c, deleteAccountRequestSchema);
    await services.auth.confirmPassword(user, body.password);
    if (user.role === 'admin' && users.adminCount() <= 1) {
      throw conflict('you are the only administrator: make someone else an administrator first');
    }
    const contacts = services.groups.contactsOf(user.id);
    for (const group of services.groups.listFor(user.id)) {
      if (group.kind === 'group')
        removeMember({ services, relay }, group.id, user.id as UserId, user.id);
    }
    blobs.keepOnlyAvatar(user.id, null);
    const gone = users.anonymize(user.id);
    await services.sessions.invalidateUser(user.id);
    relay.closeUser(user.id as UserId, CloseCode.SESSION_ENDED, 'deleted');
    services.hub.endUser(user.id, 'logout');
    if (gone) services.hub.publish(contacts, { type: 'user', user: toPublicUser(gone) });
    services.audit.write({
      action: AuditAction.accountDeleted,
      actorId: user.id,
      targetId: user.id,
    });
    clearSessionCookie(c, services);
    return c.body(null, 204);
  });

  app.post('/password', async (c) => {
    const { user, session } = requireAuth(c);
    const body = await readJson(c, changePasswordRequestSchema);
    const issued = await services.auth.changePassword(
      user,
      body.currentPassword,
      body.newPassword,
      session.device,
    );
    relay.renameSession(session.id, issued.session.id);
    relay.closeUser(user.id as UserId, CloseCode.SESSION_ENDED, 'password', issued.session.id);
    services.hub.renameSession(session.id, issued.session.id);
    services.hub.endUser(user.id, 'password', { exceptSessionId: issued.session.id });
    setSessionCookie(c, services, issued.secret, issued.session);
    return c.json({ user: toUser(issued.user) });
  });

  app.put('/avatar', async (c) => {
    const { user } = requireAuth(c);
    const { blob, created } = await ingestUpload(c, services, {
      maxBytes: Math.min(MAX_AVATAR_BYTES, services.config.maxUploadBytes),
      rasterOnly: true,
      scope: AVATAR_SCOPE,
      userId: user.id,
    });
    logStored(log, blob, created);
    return c.json({ user: toUser(setAvatar(user.id, blob.sha256)) });
  });

  app.delete('/avatar', (c) => {
    const { user } = requireAuth(c);
    return c.json({ user: toUser(setAvatar(user.id, null)) });
  });

  return app;
}
