import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  adminUserListResponseSchema,
  auditLogResponseSchema,
  CloseCode,
  serverStatsSchema,
  userResponseSchema,
} from '@canopy/shared';
import { createAppHarness } from './testing/app-harness.js';
import type { AppHarness, TestUser } from './testing/app-harness.js';

let h: AppHarness;
let admin: TestUser;
let eve: TestUser;

beforeEach(async () => {
  h = createAppHarness();
  admin = await h.signup('root');
  eve = await h.signup('eve');
});
afterEach(async () => {
  await h.close();
});

describe('admin', () => {
  it('is for admins only', async () => {
    for (const p of ['/api/admin/users', '/api/admin/audit', '/api/admin/stats']) {
      expect((await h.request('GET', p, { cookie: eve.cookie })).status, p).toBe(403);
      expect((await h.request('GET', p)).status, p).toBe(401);
    }
    const users = adminUserListResponseSchema.parse(
      await (await h.request('GET', '/api/admin/users', { cookie: admin.cookie })).json(),
    );
    expect(users.users.map((u) => u.username)).toEqual(['root', 'eve']);
    const stats = serverStatsSchema.parse(
      await (await h.request('GET', '/api/admin/stats', { cookie: admin.cookie })).json(),
    );
    expect(stats.users).toBe(2);
  });

  it('a ban ends sessions and sockets at once and blocks login; unban restores login', async () => {
    const closeUser = vi.spyOn(h.relay, 'closeUser');
    const res = await h.request('PATCH', `/api/admin/users/${eve.user.id}`, {
      cookie: admin.cookie,
      body: { banned: true },
    });
    expect(res.status).toBe(200);
    expect(userResponseSchema.parse(await res.json()).user.banned).toBe(true);
    expect(closeUser).toHaveBeenCalledWith(eve.user.id, CloseCode.BANNED, 'banned');
    expect((await h.request('GET', '/api/me', { cookie: eve.cookie })).status).toBe(401);

    const login = await h.request('POST', '/api/auth/login', {
      body: { login: 'eve', password: eve.password },
    });
    expect(login.status).toBe(403);
    expect(((await login.json()) as { error: { code: string } }).error.code).toBe('banned');

    await h.request('PATCH', `/api/admin/users/${eve.user.id}`, {
      cookie: admin.cookie,
      body: { banned: false },
    });
    expect(
      (
        await h.request('POST', '/api/auth/login', {
          body: { login: 'eve', password: eve.password },
        })
      ).status,
    ).toBe(200);

    const audit = auditLogResponseSchema.parse(
      await (await h.request('GET', '/api/admin/audit?limit=100', { cookie: admin.cookie })).json(),
    );
    const actions = audit.entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['user_banned', 'user_unbanned', 'signup', 'login_failed']),
    );
    // newest first, and the cursor pages backwards
    const older = auditLogResponseSchema.parse(
      await (
        await h.request('GET', `/api/admin/audit?limit=1&before=${audit.entries[0]!.id}`, {
          cookie: admin.cookie,
        })
      ).json(),
    );
    expect(older.entries[0]!.id).toBe(audit.entries[1]!.id);
  });

  it('a banned user whose session survived somehow still cannot use it', async () => {
    h.services.users.update(eve.user.id, { banned: true });
    expect((await h.request('GET', '/api/me', { cookie: eve.cookie })).status).toBe(401);
  });

  it('role changes are audited; admins cannot demote or ban themselves', async () => {
    const promote = await h.request('PATCH', `/api/admin/users/${eve.user.id}`, {
      cookie: admin.cookie,
      body: { role: 'admin' },
    });
    expect(userResponseSchema.parse(await promote.json()).user.role).toBe('admin');
    expect(h.services.audit.list({ limit: 5 })[0]!.action).toBe('user_role_changed');
    expect(
      (
        await h.request('PATCH', `/api/admin/users/${admin.user.id}`, {
          cookie: admin.cookie,
          body: { banned: true },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await h.request('PATCH', `/api/admin/users/${admin.user.id}`, {
          cookie: admin.cookie,
          body: { role: 'user' },
        })
      ).status,
    ).toBe(409);
  });

  it("password reset ends the user's sessions; the new password works, the old does not", async () => {
    const closeUser = vi.spyOn(h.relay, 'closeUser');
    const res = await h.request('POST', `/api/admin/users/${eve.user.id}/password`, {
      cookie: admin.cookie,
      body: { newPassword: 'brand new secret' },
    });
    expect(res.status).toBe(204);
    expect(closeUser).toHaveBeenCalledWith(eve.user.id, CloseCode.SESSION_ENDED, 'password');
    expect((await h.request('GET', '/api/me', { cookie: eve.cookie })).status).toBe(401);
    expect(
      (
        await h.request('POST', '/api/auth/login', {
          body: { login: 'eve', password: eve.password },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await h.request('POST', '/api/auth/login', {
          body: { login: 'eve', password: 'brand new secret' },
        })
      ).status,
    ).toBe(200);
  });
});

describe('own account', () => {
  it('changing the password ends other sessions and issues a fresh cookie', async () => {
    const other = await h.request('POST', '/api/auth/login', {
      body: { login: 'eve', password: eve.password },
    });
    const otherCookie = other.headers.getSetCookie()[0]!.split(';')[0]!;
    const wrong = await h.request('POST', '/api/me/password', {
      cookie: eve.cookie,
      body: { currentPassword: 'not my password', newPassword: 'next password' },
    });
    expect(wrong.status).toBe(401);
    const res = await h.request('POST', '/api/me/password', {
      cookie: eve.cookie,
      body: { currentPassword: eve.password, newPassword: 'next password' },
    });
    expect(res.status).toBe(200);
    const fresh = res.headers
      .getSetCookie()
      .find((l) => l.startsWith('canopy_session='))!
      .split(';')[0]!;
    expect(fresh).not.toBe(eve.cookie);
    expect((await h.request('GET', '/api/me', { cookie: otherCookie })).status).toBe(401);
    expect((await h.request('GET', '/api/me', { cookie: eve.cookie })).status).toBe(401);
    expect((await h.request('GET', '/api/me', { cookie: fresh })).status).toBe(200);
  });

  it('updates the profile and refuses an email that is taken', async () => {
    const res = await h.request('PATCH', '/api/me', {
      cookie: eve.cookie,
      body: { displayName: 'Eve E.' },
    });
    expect(userResponseSchema.parse(await res.json()).user.displayName).toBe('Eve E.');
    const taken = await h.request('PATCH', '/api/me', {
      cookie: eve.cookie,
      body: { email: 'root@example.com' },
    });
    expect(taken.status).toBe(409);
    expect(
      (await h.request('PATCH', '/api/me', { cookie: eve.cookie, body: { role: 'admin' } })).status,
    ).toBe(422);
  });
});
