import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  adminUserListResponseSchema,
  auditLogResponseSchema,
  groupResponseSchema,
  userSearchResponseSchema,
} from '@canopy/shared';
import type { Group } from '@canopy/shared';
import { createAppHarness } from './testing/app-harness.js';
import type { AppHarness, TestUser } from './testing/app-harness.js';

let h: AppHarness;
let root: TestUser;
let eve: TestUser;

beforeEach(async () => {
  h = createAppHarness();
  root = await h.signup('root');
  eve = await h.signup('eve');
});
afterEach(async () => {
  await h.close();
});

const remove = (who: TestUser, body: unknown) =>
  h.request('DELETE', '/api/me', { cookie: who.cookie, body });

async function group(by: TestUser, path: string, body: object): Promise<Group> {
  const res = await h.request('POST', path, { cookie: by.cookie, body });
  return groupResponseSchema.parse(await res.json()).group;
}

describe('deleting one’s account', () => {
  it('needs the password, and leaves the server an administrator', async () => {
    expect((await remove(eve, { password: 'not it' })).status).toBe(401);
    expect((await remove(eve, {})).status).toBe(422);
    expect((await remove(eve, { password: eve.password, extra: 1 })).status).toBe(422);
    const onlyAdmin = await remove(root, { password: root.password });
    expect(onlyAdmin.status).toBe(409);
    expect((await h.request('GET', '/api/me', { cookie: root.cookie })).status).toBe(200);
    expect((await h.request('GET', '/api/me', { cookie: eve.cookie })).status).toBe(200);
  });

  it('ends the sessions, leaves groups, keeps DMs and empties the account of the person', async () => {
    const team = await group(root, '/api/groups', { name: 'Team', members: [eve.user.id] });
    const dm = await group(root, '/api/dms', { userId: eve.user.id });

    const res = await remove(eve, { password: eve.password });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().join()).toMatch(/canopy_session=;/);
    expect((await h.request('GET', '/api/me', { cookie: eve.cookie })).status).toBe(401);
    const login = await h.request('POST', '/api/auth/login', {
      body: { login: 'eve', password: eve.password },
    });
    expect(login.status).toBe(401);

    const teamNow = await h.request('GET', `/api/groups/${team.id}`, { cookie: root.cookie });
    const members = groupResponseSchema.parse(await teamNow.json()).group.members;
    expect(members.map((m) => m.userId)).toEqual([root.user.id]);
    const dmNow = await h.request('GET', `/api/groups/${dm.id}`, { cookie: root.cookie });
    expect(groupResponseSchema.parse(await dmNow.json()).group.members).toHaveLength(2);

    const row = h.services.users.get(eve.user.id)!;
    expect(row).toMatchObject({ displayName: 'Deleted user', passwordHash: null, avatar: null });
    expect(row.username).toMatch(/^deleted_[a-z0-9]+$/);
    for (const field of [row.username, row.email, row.displayName])
      expect(field).not.toMatch(/eve/);
    const search = await h.request('GET', '/api/users?q=deleted', { cookie: root.cookie });
    expect(userSearchResponseSchema.parse(await search.json()).users).toEqual([]);

    // An admin cannot bring the account back.
    for (const [method, path, body] of [
      ['PATCH', `/api/admin/users/${eve.user.id}`, { banned: false }],
      ['POST', `/api/admin/users/${eve.user.id}/password`, { newPassword: 'revived again' }],
    ] as const) {
      const refused = await h.request(method, path, { cookie: root.cookie, body });
      expect(refused.status, path).toBe(409);
    }
    const listed = adminUserListResponseSchema.parse(
      await (await h.request('GET', '/api/admin/users', { cookie: root.cookie })).json(),
    );
    expect(listed.users.find((u) => u.id === eve.user.id)?.deleted).toBe(true);

    // The name and address are free again.
    expect((await h.signup('eve')).user.username).toBe('eve');
    const audit = auditLogResponseSchema.parse(
      await (await h.request('GET', '/api/admin/audit', { cookie: root.cookie })).json(),
    );
    expect(audit.entries.map((e) => e.action)).toContain('account_deleted');
  });
});
