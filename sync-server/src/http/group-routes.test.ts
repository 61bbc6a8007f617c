import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CloseCode,
  errorBodySchema,
  groupListResponseSchema,
  groupResponseSchema,
  makeId,
} from '@canopy/shared';
import type { Group } from '@canopy/shared';
import { createAppHarness } from './testing/app-harness.js';
import type { AppHarness, TestUser } from './testing/app-harness.js';

let h: AppHarness;
let owner: TestUser;
let ann: TestUser;
let ben: TestUser;
let cat: TestUser;

beforeEach(async () => {
  h = createAppHarness();
  [owner, ann, ben, cat] = [
    await h.signup('owner'),
    await h.signup('ann'),
    await h.signup('ben'),
    await h.signup('cat'),
  ];
});
afterEach(async () => {
  await h.close();
});

async function createGroup(by: TestUser, members: TestUser[], name = 'Team'): Promise<Group> {
  const res = await h.request('POST', '/api/groups', {
    cookie: by.cookie,
    body: { name, members: members.map((m) => m.user.id) },
  });
  expect(res.status).toBe(201);
  return groupResponseSchema.parse(await res.json()).group;
}

const roleOf = (g: Group, u: TestUser) => g.members.find((m) => m.userId === u.user.id)?.role;
const code = async (res: Response) => errorBodySchema.parse(await res.json()).error.code;

describe('groups', () => {
  it('creates a group with the creator as owner, lists it for members only', async () => {
    const g = await createGroup(owner, [ann]);
    expect(g.kind).toBe('group');
    expect(roleOf(g, owner)).toBe('owner');
    expect(roleOf(g, ann)).toBe('member');

    const list = groupListResponseSchema.parse(
      await (await h.request('GET', '/api/groups', { cookie: ann.cookie })).json(),
    );
    expect(list.groups.map((x) => x.id)).toEqual([g.id]);
    expect((await h.request('GET', `/api/groups/${g.id}`, { cookie: ann.cookie })).status).toBe(
      200,
    );
    // non-members cannot tell the group exists
    const probe = await h.request('GET', `/api/groups/${g.id}`, { cookie: ben.cookie });
    expect(probe.status).toBe(404);
    expect((await h.request('GET', '/api/groups/..%2Fx', { cookie: ben.cookie })).status).toBe(404);
    expect((await h.request('GET', '/api/groups', {})).status).toBe(401);
  });

  it('refuses unknown member ids', async () => {
    const res = await h.request('POST', '/api/groups', {
      cookie: owner.cookie,
      body: { name: 'x', members: [makeId()] },
    });
    expect(res.status).toBe(422);
  });

  it('a client-chosen id makes creation idempotent for its creator only', async () => {
    const id = makeId();
    const body = { id, name: 'Offline', members: [ann.user.id] };
    expect((await h.request('POST', '/api/groups', { cookie: owner.cookie, body })).status).toBe(
      201,
    );
    const again = await h.request('POST', '/api/groups', { cookie: owner.cookie, body });
    expect(again.status).toBe(200);
    expect(groupResponseSchema.parse(await again.json()).group.id).toBe(id);
    const other = await h.request('POST', '/api/groups', {
      cookie: ben.cookie,
      body: { ...body, members: [] },
    });
    expect(other.status).toBe(409);
  });

  it('lets owner and admins rename, not plain members', async () => {
    const g = await createGroup(owner, [ann]);
    const denied = await h.request('PATCH', `/api/groups/${g.id}`, {
      cookie: ann.cookie,
      body: { name: 'Mine' },
    });
    expect(denied.status).toBe(403);
    const ok = await h.request('PATCH', `/api/groups/${g.id}`, {
      cookie: owner.cookie,
      body: { name: 'Renamed' },
    });
    expect(groupResponseSchema.parse(await ok.json()).group.name).toBe('Renamed');
  });

  it('keeps a topic set by owners and admins, trimmed and bounded; empty removes it', async () => {
    const g = await createGroup(owner, [ann]);
    expect(g.topic).toBe('');
    const patch = (by: TestUser, body: unknown) =>
      h.request('PATCH', `/api/groups/${g.id}`, { cookie: by.cookie, body });
    expect((await patch(ann, { topic: 'mine now' })).status).toBe(403);
    const set = await patch(owner, { topic: '  Release planning, Tuesdays  ' });
    expect(groupResponseSchema.parse(await set.json()).group.topic).toBe(
      'Release planning, Tuesdays',
    );
    expect((await patch(owner, { topic: 'x'.repeat(251) })).status).toBe(422);
    expect((await patch(owner, { topic: 7 })).status).toBe(422);
    // Members read it with the group.
    const read = await h.request('GET', `/api/groups/${g.id}`, { cookie: ann.cookie });
    expect(groupResponseSchema.parse(await read.json()).group.topic).toBe(
      'Release planning, Tuesdays',
    );
    const cleared = await patch(owner, { topic: '' });
    expect(groupResponseSchema.parse(await cleared.json()).group.topic).toBe('');
  });
});

describe('members', () => {
  it('owner adds members and admins; admins add members but cannot appoint admins', async () => {
    const g = await createGroup(owner, [ann]);
    const add = (by: TestUser, who: TestUser, role?: 'admin' | 'member') =>
      h.request('POST', `/api/groups/${g.id}/members`, {
        cookie: by.cookie,
        body: role ? { userId: who.user.id, role } : { userId: who.user.id },
      });
    expect((await add(ann, ben)).status).toBe(403); // plain member
    expect((await add(owner, ann, 'admin')).status).toBe(409); // already a member
    expect(
      (
        await h.request('PATCH', `/api/groups/${g.id}/members/${ann.user.id}`, {
          cookie: owner.cookie,
          body: { role: 'admin' },
        })
      ).status,
    ).toBe(200);
    expect((await add(ann, ben, 'admin')).status).toBe(403);
    const res = await add(ann, ben);
    expect(res.status).toBe(201);
    expect(roleOf(groupResponseSchema.parse(await res.json()).group, ben)).toBe('member');
  });

  it('only the owner changes roles; ownership transfer demotes the old owner to admin', async () => {
    const g = await createGroup(owner, [ann, ben]);
    const patch = (by: TestUser, who: TestUser, role: string) =>
      h.request('PATCH', `/api/groups/${g.id}/members/${who.user.id}`, {
        cookie: by.cookie,
        body: { role },
      });
    expect((await patch(ann, ben, 'admin')).status).toBe(403);
    expect((await patch(owner, owner, 'member')).status).toBe(409);
    const res = await patch(owner, ann, 'owner');
    expect(res.status).toBe(200);
    const after = groupResponseSchema.parse(await res.json()).group;
    expect(roleOf(after, ann)).toBe('owner');
    expect(roleOf(after, owner)).toBe('admin');
  });

  it('removal rules: admins remove members but not the owner or other admins; removal closes sockets', async () => {
    const g = await createGroup(owner, [ann, ben, cat]);
    await h.request('PATCH', `/api/groups/${g.id}/members/${ann.user.id}`, {
      cookie: owner.cookie,
      body: { role: 'admin' },
    });
    await h.request('PATCH', `/api/groups/${g.id}/members/${cat.user.id}`, {
      cookie: owner.cookie,
      body: { role: 'admin' },
    });
    const del = (by: TestUser, who: TestUser) =>
      h.request('DELETE', `/api/groups/${g.id}/members/${who.user.id}`, { cookie: by.cookie });
    const closeMember = vi.spyOn(h.relay, 'closeMember');
    expect((await del(ben, cat)).status).toBe(403); // member removes admin
    expect((await del(ann, owner)).status).toBe(403); // admin removes owner
    expect((await del(ann, cat)).status).toBe(403); // admin removes admin
    expect(closeMember).not.toHaveBeenCalled();
    expect((await del(ann, ben)).status).toBe(204);
    expect(closeMember).toHaveBeenCalledWith(g.id, ben.user.id, CloseCode.NOT_MEMBER, 'removed');
    expect((await h.request('GET', `/api/groups/${g.id}`, { cookie: ben.cookie })).status).toBe(
      404,
    );
    const audit = h.services.audit.list({ limit: 50 }).map((e) => e.action);
    expect(audit).toContain('group_member_removed');
  });

  it('the owner leaving hands ownership to the longest-standing admin; the last one out deletes the group', async () => {
    const g = await createGroup(owner, [ann, ben]);
    await h.request('PATCH', `/api/groups/${g.id}/members/${ben.user.id}`, {
      cookie: owner.cookie,
      body: { role: 'admin' },
    });
    expect(
      (
        await h.request('DELETE', `/api/groups/${g.id}/members/${owner.user.id}`, {
          cookie: owner.cookie,
        })
      ).status,
    ).toBe(204);
    const after = groupResponseSchema.parse(
      await (await h.request('GET', `/api/groups/${g.id}`, { cookie: ann.cookie })).json(),
    ).group;
    expect(roleOf(after, ben)).toBe('owner');
    expect(after.members).toHaveLength(2);
    for (const u of [ben, ann]) {
      expect(
        (
          await h.request('DELETE', `/api/groups/${g.id}/members/${u.user.id}`, {
            cookie: u.cookie,
          })
        ).status,
      ).toBe(204);
    }
    expect(h.services.groups.get(g.id)).toBeUndefined();
  });
});

describe('direct messages', () => {
  it('returns the single DM of a pair (201 then 200 from either side), never with yourself', async () => {
    const first = await h.request('POST', '/api/dms', {
      cookie: ann.cookie,
      body: { userId: ben.user.id },
    });
    expect(first.status).toBe(201);
    const dm = groupResponseSchema.parse(await first.json()).group;
    expect(dm.kind).toBe('dm');
    expect(dm.name).toBe('');
    expect(dm.members.map((m) => m.userId).sort()).toEqual([ann.user.id, ben.user.id].sort());
    const second = await h.request('POST', '/api/dms', {
      cookie: ben.cookie,
      body: { userId: ann.user.id },
    });
    expect(second.status).toBe(200);
    expect(groupResponseSchema.parse(await second.json()).group.id).toBe(dm.id);
    expect(
      (await h.request('POST', '/api/dms', { cookie: ann.cookie, body: { userId: ann.user.id } }))
        .status,
    ).toBe(400);
    expect(
      (await h.request('POST', '/api/dms', { cookie: ann.cookie, body: { userId: makeId() } }))
        .status,
    ).toBe(404);
    // DMs have no settings and no member management
    expect(
      (
        await h.request('PATCH', `/api/groups/${dm.id}`, {
          cookie: ann.cookie,
          body: { name: 'x' },
        })
      ).status,
    ).toBe(403);
    const add = await h.request('POST', `/api/groups/${dm.id}/members`, {
      cookie: ann.cookie,
      body: { userId: cat.user.id },
    });
    expect(add.status).toBe(403);
    expect(await code(add)).toBe('forbidden');
  });
});

describe('users directory', () => {
  it('finds users by username or display-name prefix, without banned users', async () => {
    const find = async (q: string) =>
      (
        (await (
          await h.request('GET', `/api/users?q=${encodeURIComponent(q)}`, { cookie: ann.cookie })
        ).json()) as {
          users: { username: string }[];
        }
      ).users.map((u) => u.username);
    expect(await find('b')).toEqual(['ben']);
    expect(await find('%')).toEqual([]);
    h.services.users.update(ben.user.id, { banned: true });
    expect(await find('b')).toEqual([]);
    const one = await h.request('GET', `/api/users/${cat.user.id}`, { cookie: ann.cookie });
    const body = (await one.json()) as { user: Record<string, unknown> };
    expect(body.user.username).toBe('cat');
    expect(body.user).not.toHaveProperty('email');
  });
});
