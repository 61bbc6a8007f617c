import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditLogResponseSchema,
  createInviteResponseSchema,
  inviteListResponseSchema,
  serverConfigResponseSchema,
} from '@canopy/shared';
import { invites } from '../db/schema.js';
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

function signupAs(username: string, invite?: string): Promise<Response> {
  return h.request('POST', '/api/auth/signup', {
    body: {
      username,
      email: `${username}@example.com`,
      password: 'correct horse battery',
      ...(invite === undefined ? {} : { invite }),
    },
  });
}

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

async function setPolicy(policy: string, cookie = admin.cookie): Promise<Response> {
  return h.request('PUT', '/api/admin/signup', { cookie, body: { policy } });
}

async function createInvite(body: object = {}): Promise<{ id: string; code: string }> {
  const res = await h.request('POST', '/api/admin/invites', { cookie: admin.cookie, body });
  expect(res.status).toBe(201);
  const created = createInviteResponseSchema.parse(await res.json());
  return { id: created.invite.id, code: created.code };
}

async function policyInConfig(): Promise<string> {
  const res = await h.request('GET', '/api/config');
  return serverConfigResponseSchema.parse(await res.json()).signup.policy;
}

describe('who may sign up', () => {
  it('is set by admins only, and the public config tells the sign-up page', async () => {
    expect(await policyInConfig()).toBe('open');
    expect((await setPolicy('closed', eve.cookie)).status).toBe(403);
    expect(
      (await h.request('PUT', '/api/admin/signup', { body: { policy: 'closed' } })).status,
    ).toBe(401);
    for (const path of ['/api/admin/signup', '/api/admin/invites']) {
      expect((await h.request('GET', path, { cookie: eve.cookie })).status, path).toBe(403);
    }
    expect(
      (await h.request('POST', '/api/admin/invites', { cookie: eve.cookie, body: {} })).status,
    ).toBe(403);
    expect((await setPolicy('nobody')).status).toBe(422);
    const unknownField = await h.request('PUT', '/api/admin/signup', {
      cookie: admin.cookie,
      body: { policy: 'closed', extra: 1 },
    });
    expect(unknownField.status).toBe(422);
    expect(await policyInConfig()).toBe('open');

    expect((await setPolicy('closed')).status).toBe(200);
    expect(await policyInConfig()).toBe('closed');
    const read = await h.request('GET', '/api/admin/signup', { cookie: admin.cookie });
    expect(await read.json()).toEqual({ policy: 'closed' });
  });

  it('refuses every sign-up while closed, and lets existing users log in', async () => {
    await setPolicy('closed');
    const { code } = await createInvite();
    for (const res of [await signupAs('mallory'), await signupAs('mallory', code)]) {
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe('signup_closed');
    }
    const login = await h.request('POST', '/api/auth/login', {
      body: { login: 'eve', password: eve.password },
    });
    expect(login.status).toBe(200);
    await setPolicy('open');
    expect((await signupAs('mallory')).status).toBe(201);
  });

  it('by invite: needs a usable invite, counts its uses and stops at the limit', async () => {
    await setPolicy('invite');
    const without = await signupAs('ana');
    expect(without.status).toBe(403);
    expect(await errorCode(without)).toBe('invite_required');
    const forged = await signupAs('ana', 'x'.repeat(43));
    expect(forged.status).toBe(403);
    expect(await errorCode(forged)).toBe('invite_invalid');
    expect((await signupAs('ana', 'not a code')).status).toBe(422);

    const invite = await createInvite({ maxUses: 2, expiresInHours: 24 });
    expect((await signupAs('ana', invite.code)).status).toBe(201);
    // A taken name does not use the invite up.
    const taken = await signupAs('ana', invite.code);
    expect(await errorCode(taken)).toBe('username_taken');
    expect((await signupAs('ben', invite.code)).status).toBe(201);
    const third = await signupAs('cyd', invite.code);
    expect(third.status).toBe(403);
    expect(await errorCode(third)).toBe('invite_invalid');

    const list = inviteListResponseSchema.parse(
      await (await h.request('GET', '/api/admin/invites', { cookie: admin.cookie })).json(),
    );
    expect(list.invites).toEqual([
      expect.objectContaining({ id: invite.id, uses: 2, maxUses: 2, revoked: false }),
    ]);
    // The audit log names the invite a sign-up used, never its code.
    const audit = auditLogResponseSchema.parse(
      await (await h.request('GET', '/api/admin/audit', { cookie: admin.cookie })).json(),
    );
    const signups = audit.entries.filter((e) => e.action === 'signup' && e.details?.invite);
    expect(signups.map((e) => e.details?.invite)).toEqual([invite.id, invite.id]);
    expect(JSON.stringify(audit.entries)).not.toContain(invite.code);
    expect(audit.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['signup_policy_changed', 'invite_created']),
    );
  });

  it('gives one invite use to one of two concurrent sign-ups', async () => {
    await setPolicy('invite');
    const invite = await createInvite({ maxUses: 1 });
    const results = await Promise.all([signupAs('ana', invite.code), signupAs('ben', invite.code)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 403]);
  });

  it('refuses revoked and expired invites; only the hash of a code is stored', async () => {
    await setPolicy('invite');
    const revoked = await createInvite();
    const del = await h.request('DELETE', `/api/admin/invites/${revoked.id}`, {
      cookie: admin.cookie,
    });
    expect(del.status).toBe(204);
    expect(await errorCode(await signupAs('ana', revoked.code))).toBe('invite_invalid');
    expect(
      (
        await h.request('DELETE', '/api/admin/invites/nonexistent-invite-id', {
          cookie: admin.cookie,
        })
      ).status,
    ).toBe(404);
    expect(
      (await h.request('DELETE', `/api/admin/invites/${revoked.id}`, { cookie: eve.cookie }))
        .status,
    ).toBe(403);

    const expired = await createInvite();
    h.services.db
      .update(invites)
      .set({ expiresAt: Date.now() - 1 })
      .run();
    expect(await errorCode(await signupAs('ana', expired.code))).toBe('invite_invalid');

    const rows = h.services.db.select().from(invites).all();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Object.values(row)).not.toContain(revoked.code);
      expect(Object.values(row)).not.toContain(expired.code);
    }
    // Bounds of a new invite.
    for (const body of [{ maxUses: 0 }, { maxUses: 1001 }, { expiresInHours: 0 }, { code: 'x' }]) {
      const res = await h.request('POST', '/api/admin/invites', { cookie: admin.cookie, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
  });

  it('lets the first account of a new server sign up whatever is stored', async () => {
    const fresh = createAppHarness();
    try {
      fresh.services.settings.setSignupPolicy('closed');
      const res = await fresh.request('POST', '/api/auth/signup', {
        body: { username: 'owner', email: 'owner@example.com', password: 'correct horse battery' },
      });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { user: { role: string } }).user.role).toBe('admin');
    } finally {
      await fresh.close();
    }
  });
});
