import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { CloseCode, errorBodySchema, userResponseSchema } from '@canopy/shared';
import { sessions, users } from '../db/schema.js';
import { hashSecret } from '../auth/secret.js';
import { createAppHarness, sessionCookieOf } from './testing/app-harness.js';
import type { AppHarness } from './testing/app-harness.js';

let h: AppHarness;
beforeEach(() => {
  h = createAppHarness();
});
afterEach(async () => {
  await h.close();
});

async function errorCode(res: Response): Promise<string> {
  return errorBodySchema.parse(await res.json()).error.code;
}

describe('signup, login, logout', () => {
  it('signs up, reads /api/me with the cookie, logs out and the cookie stops working', async () => {
    const alice = await h.signup('alice');
    expect(alice.user.username).toBe('alice');
    const me = await h.request('GET', '/api/me', { cookie: alice.cookie });
    expect(me.status).toBe(200);
    expect(userResponseSchema.parse(await me.json()).user.id).toBe(alice.user.id);

    const closeSession = vi.spyOn(h.relay, 'closeSession');
    const out = await h.request('POST', '/api/auth/logout', { cookie: alice.cookie });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/canopy_session=;.*Max-Age=0/);
    expect(closeSession).toHaveBeenCalledWith(
      expect.any(String),
      CloseCode.SESSION_ENDED,
      'logout',
    );

    const after = await h.request('GET', '/api/me', { cookie: alice.cookie });
    expect(after.status).toBe(401);
    expect(await errorCode(after)).toBe('unauthenticated');
  });

  it('the first account is the admin, later ones are not', async () => {
    const first = await h.signup('first');
    const second = await h.signup('second');
    expect(first.user.role).toBe('admin');
    expect(second.user.role).toBe('user');
  });

  it('logs in by username or email, case-insensitively', async () => {
    await h.signup('bob', 'bobs password!');
    for (const login of ['bob', 'BOB', 'bob@example.com', 'Bob@Example.com']) {
      const res = await h.request('POST', '/api/auth/login', {
        body: { login, password: 'bobs password!' },
      });
      expect(res.status, login).toBe(200);
      expect(sessionCookieOf(res)).not.toBeNull();
    }
  });

  it('answers 401 invalid_credentials for a wrong password and for an unknown account', async () => {
    await h.signup('carol');
    const wrong = await h.request('POST', '/api/auth/login', {
      body: { login: 'carol', password: 'not it at all' },
    });
    expect(wrong.status).toBe(401);
    expect(await errorCode(wrong)).toBe('invalid_credentials');
    expect(sessionCookieOf(wrong)).toBeNull();
    const unknown = await h.request('POST', '/api/auth/login', {
      body: { login: 'nobody', password: 'whatever1' },
    });
    expect(unknown.status).toBe(401);
    expect(await errorCode(unknown)).toBe('invalid_credentials');
    const failures = h.services.audit
      .list({ limit: 10 })
      .filter((e) => e.action === 'login_failed');
    expect(failures).toHaveLength(2);
    expect(JSON.stringify(failures)).not.toContain('not it at all');
  });

  it('refuses a taken username (case-insensitive) and a taken email with 409', async () => {
    await h.signup('dave');
    const name = await h.request('POST', '/api/auth/signup', {
      body: { username: 'DAVE', email: 'other@example.com', password: 'long enough' },
    });
    expect(name.status).toBe(409);
    expect(await errorCode(name)).toBe('username_taken');
    const mail = await h.request('POST', '/api/auth/signup', {
      body: { username: 'dave2', email: 'DAVE@example.com', password: 'long enough' },
    });
    expect(mail.status).toBe(409);
    expect(await errorCode(mail)).toBe('email_taken');
  });
});

describe('session cookie and storage', () => {
  it('sets HttpOnly, SameSite=Lax, Path=/ and no Secure over http', async () => {
    const res = await h.request('POST', '/api/auth/signup', {
      body: { username: 'erin', email: 'erin@example.com', password: 'long enough' },
    });
    const line = res.headers.getSetCookie().find((l) => l.startsWith('canopy_session='))!;
    expect(line).toContain('HttpOnly');
    expect(line).toContain('SameSite=Lax');
    expect(line).toContain('Path=/');
    expect(line).not.toContain('Secure');
    expect(line).toMatch(/Max-Age=\d+/);
  });

  it('sets Secure when the request came over https', async () => {
    const res = await h.app.request('https://chat.example.com/api/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://chat.example.com' },
      body: JSON.stringify({
        username: 'frank',
        email: 'frank@example.com',
        password: 'long enough',
      }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie().find((l) => l.startsWith('canopy_session='))).toContain(
      'Secure',
    );
  });

  it('stores only the SHA-256 of the secret', async () => {
    const { cookie, user } = await h.signup('gina');
    const secret = cookie.split('=')[1]!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = h.database.sqlite.prepare('SELECT * FROM sessions WHERE user_id = ?').all(user.id);
    expect(rows).toHaveLength(1);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(secret);
    expect((rows[0] as { id: string }).id).toBe(hashSecret(secret));
  });

  it('a forged or malformed cookie is simply not a session', async () => {
    for (const cookie of [
      'canopy_session=' + 'A'.repeat(43),
      'canopy_session=%zz%',
      'canopy_session',
    ]) {
      const res = await h.request('GET', '/api/me', { cookie });
      expect(res.status, cookie).toBe(401);
    }
  });

  it('ends a session at its absolute lifetime even while it is being used', async () => {
    const { cookie, user } = await h.signup('hank');
    expect((await h.request('GET', '/api/me', { cookie })).status).toBe(200);
    h.database.db
      .update(sessions)
      .set({ absoluteExpiresAt: Date.now() - 1 })
      .where(eq(sessions.userId, user.id))
      .run();
    expect((await h.request('GET', '/api/me', { cookie })).status).toBe(401);
    // and the expired row is gone
    expect(
      h.database.db.select().from(sessions).where(eq(sessions.userId, user.id)).all(),
    ).toHaveLength(0);
  });

  it('slides the expiry forward (and re-sends the cookie) once half the TTL has passed', async () => {
    const { cookie, user } = await h.signup('ivan');
    const soon = Date.now() + 60_000;
    h.database.db
      .update(sessions)
      .set({ expiresAt: soon })
      .where(eq(sessions.userId, user.id))
      .run();
    const res = await h.request('GET', '/api/me', { cookie });
    expect(res.status).toBe(200);
    expect(sessionCookieOf(res)).toBe(cookie);
    const row = h.database.db.select().from(sessions).where(eq(sessions.userId, user.id)).get()!;
    expect(row.expiresAt).toBeGreaterThan(soon + 24 * 3600_000);
  });
});

describe('rate limits', () => {
  it('answers 429 rate_limited with Retry-After after too many failed logins for one account', async () => {
    await h.close();
    h = createAppHarness({ authRateLimit: { perIp: 100, perAccount: 3, windowMs: 60_000 } });
    await h.signup('judy');
    for (let i = 0; i < 3; i++) {
      const res = await h.request('POST', '/api/auth/login', {
        body: { login: 'judy', password: 'wrong pass ' + i },
      });
      expect(res.status).toBe(401);
    }
    // Even the right password is refused while the account is locked.
    const res = await h.request('POST', '/api/auth/login', {
      body: { login: 'judy', password: 'correct horse battery' },
    });
    expect(res.status).toBe(429);
    expect(await errorCode(res)).toBe('rate_limited');
    const retry = Number(res.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
  });

  it('limits attempts per IP across accounts (client address from a trusted proxy)', async () => {
    await h.close();
    h = createAppHarness({
      trustProxy: true,
      authRateLimit: { perIp: 2, perAccount: 100, windowMs: 60_000 },
    });
    const from = (ip: string) => ({ 'x-forwarded-for': `203.0.113.9, ${ip}` });
    const attempt = (login: string, ip: string) =>
      h.request('POST', '/api/auth/login', {
        body: { login, password: 'whatever1' },
        headers: from(ip),
      });
    expect((await attempt('a1', '10.0.0.1')).status).toBe(401);
    expect((await attempt('a2', '10.0.0.1')).status).toBe(401);
    expect((await attempt('a3', '10.0.0.1')).status).toBe(429);
    expect((await attempt('a4', '10.0.0.2')).status).toBe(401);
  });
});

describe('request bodies', () => {
  it('400 for malformed JSON, 415 for another content type, 422 for wrong types and unknown fields', async () => {
    const bad = await h.request('POST', '/api/auth/login', {
      raw: '{"login": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe('bad_request');

    const form = await h.request('POST', '/api/auth/login', {
      raw: 'login=a&password=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(await errorCode(form)).toBe('unsupported_media_type');

    const types = await h.request('POST', '/api/auth/login', {
      body: { login: 42, password: true },
    });
    expect(types.status).toBe(422);
    const body = errorBodySchema.parse(await types.json());
    expect(body.error.code).toBe('validation_failed');
    expect(JSON.stringify(body.error.details)).toContain('login');

    const extra = await h.request('POST', '/api/auth/signup', {
      body: { username: 'kim', email: 'kim@example.com', password: 'long enough', role: 'admin' },
    });
    expect(extra.status).toBe(422);
    expect(h.database.db.select().from(users).all()).toHaveLength(0);
  });

  it('413 for a body over the JSON limit', async () => {
    const res = await h.request('POST', '/api/auth/login', {
      body: { login: 'x', password: 'y'.repeat(70 * 1024) },
    });
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('payload_too_large');
  });
});

describe('origin check', () => {
  it('refuses a cross-origin POST with 403 bad_origin and allows the own origin', async () => {
    const { cookie } = await h.signup('liam');
    const evil = await h.request('POST', '/api/auth/logout', {
      cookie,
      headers: { origin: 'https://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(await errorCode(evil)).toBe('bad_origin');
    expect((await h.request('GET', '/api/me', { cookie })).status).toBe(200);
    const sameSite = await h.request('POST', '/api/auth/logout', {
      cookie,
      headers: { origin: 'null' },
    });
    expect(sameSite.status).toBe(403);
  });

  it('judges a cookie-bearing request without Origin by Sec-Fetch-Site', async () => {
    const { cookie } = await h.signup('mia');
    const cross = await h.app.request('http://localhost/api/auth/logout', {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(cross.status).toBe(403);
    const script = await h.app.request('http://localhost/api/auth/logout', {
      method: 'POST',
      headers: { cookie },
    });
    expect(script.status).toBe(204);
  });

  it('allows origins listed in ALLOWED_ORIGINS', async () => {
    await h.close();
    h = createAppHarness({ allowedOrigins: ['https://app.example.org'] });
    const res = await h.request('POST', '/api/auth/signup', {
      body: { username: 'nora', email: 'nora@example.com', password: 'long enough' },
      headers: { origin: 'https://app.example.org' },
    });
    expect(res.status).toBe(201);
  });
});

describe('responses', () => {
  it('JSON 404 for unknown API routes, with security headers and a request id', async () => {
    const res = await h.request('GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('not_found');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});
