// Issue 2 (+ issue 3 "session changes reach open sockets"): sign-up, log-in, log-out and
// the session cookie over real HTTP; the rate limits answer a clear 429; logging out
// ends that session everywhere, including its open WebSocket, within a second.
import { beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode, SESSION_COOKIE_NAME, errorBodySchema } from '@canopy/shared';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { HttpClient, newUser, uniqueUsername } from '../utils/http-client.js';
import { RawClient, upgradeStatus } from '../utils/raw-client.js';
import { connectProvider, waitFor, waitSynced } from '../utils/ws-provider.js';

const PASSWORD = 'correct horse battery';

function errorCode(body: unknown): string {
  return errorBodySchema.parse(body).error.code;
}

function cookieAttributes(line: string): Map<string, string> {
  const [, ...attrs] = line.split(';');
  return new Map(
    attrs.map((a) => {
      const [k = '', v = ''] = a.trim().split('=');
      return [k.toLowerCase(), v] as const;
    }),
  );
}

describe('auth over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });

  it('signs up with a HttpOnly, SameSite=Lax, non-Secure (plain http) cookie; the first account is the admin', async () => {
    const first = new HttpClient(server.url);
    const name = uniqueUsername('first');
    const r = await first.post('/api/auth/signup', {
      username: name.toUpperCase(),
      email: `${name}@example.test`,
      password: PASSWORD,
    });
    expect(r.status).toBe(201);
    const line = r.setCookies.find((l) => l.startsWith(`${SESSION_COOKIE_NAME}=`));
    expect(line).toBeDefined();
    const attrs = cookieAttributes(line!);
    expect(attrs.has('httponly')).toBe(true);
    expect(attrs.get('samesite')?.toLowerCase()).toBe('lax');
    expect(attrs.get('path')).toBe('/');
    expect(attrs.has('secure')).toBe(false);
    expect(Number(attrs.get('max-age'))).toBeGreaterThan(0);
    expect((r.body as { user: { role: string; username: string } }).user).toMatchObject({
      role: 'admin',
      username: name,
    });

    const second = await newUser(server.url, 'second');
    expect(second.user?.role).toBe('user');

    // Only a hash of the session secret is stored.
    const secret = first.sessionCookie()!;
    const ids = server.query<{ id: string }>('SELECT id FROM sessions').map((s) => s.id);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect(secret.includes(id) || id.includes(secret)).toBe(false);
  });

  it('logs in by username or email; a wrong password or unknown login is 401 invalid_credentials', async () => {
    const user = await newUser(server.url, 'login');
    const name = user.user!.username;
    const byName = new HttpClient(server.url);
    await byName.login(name.toUpperCase());
    expect((await byName.get('/api/me')).status).toBe(200);
    const byEmail = new HttpClient(server.url);
    await byEmail.login(user.user!.email);

    const wrong = await new HttpClient(server.url).post('/api/auth/login', {
      login: name,
      password: 'wrong password!',
    });
    expect(wrong.status).toBe(401);
    expect(errorCode(wrong.body)).toBe(ErrorCode.INVALID_CREDENTIALS);
    expect(
      wrong.setCookies.filter(
        (l) => l.startsWith(`${SESSION_COOKIE_NAME}=`) && !/max-age=0/i.test(l),
      ),
    ).toEqual([]);
    const unknown = await new HttpClient(server.url).post('/api/auth/login', {
      login: 'nobody_here',
      password: PASSWORD,
    });
    expect(unknown.status).toBe(401);
    expect(errorCode(unknown.body)).toBe(ErrorCode.INVALID_CREDENTIALS);
  });

  it('refuses a duplicate username case-insensitively, and missing or forged cookies', async () => {
    const user = await newUser(server.url, 'dup');
    const again = await new HttpClient(server.url).post('/api/auth/signup', {
      username: user.user!.username.toUpperCase(),
      email: 'other@example.test',
      password: PASSWORD,
    });
    expect(again.status).toBe(409);
    expect(errorCode(again.body)).toBe(ErrorCode.USERNAME_TAKEN);

    const anonymous = await new HttpClient(server.url).get('/api/me');
    expect(anonymous.status).toBe(401);
    expect(errorCode(anonymous.body)).toBe(ErrorCode.UNAUTHENTICATED);
    for (const forged of ['x', 'A'.repeat(40), '../../etc', user.sessionCookie()! + 'x', '%00']) {
      const c = new HttpClient(server.url);
      c.setCookie(SESSION_COOKIE_NAME, forged);
      expect((await c.get('/api/me')).status).toBe(401);
    }
  });

  it('refuses state-changing requests from a foreign Origin', async () => {
    const user = await newUser(server.url, 'origin');
    for (const origin of [
      'https://evil.example',
      'null',
      `${user.origin}.evil.example`,
      'http://127.0.0.1:1',
    ]) {
      const r = await user.post('/api/groups', { name: 'x', members: [] }, { origin });
      expect({ origin, status: r.status }).toEqual({ origin, status: 403 });
      expect(errorCode(r.body)).toBe(ErrorCode.BAD_ORIGIN);
    }
    const group = await user.createGroup('mine');
    for (const origin of ['https://evil.example', 'null']) {
      const r = await upgradeStatus(server.url, `/sync/${group.id}`, {
        origin,
        cookie: user.cookieHeader(),
      });
      expect({ origin, status: r.status }).toEqual({ origin, status: 403 });
    }
  });

  it('logout ends the session: 204, cleared cookie, 401 after, and its socket closes within 1 s', async () => {
    const user = await newUser(server.url, 'logout');
    const group = await user.createGroup('mine');
    // A second session of the same user must survive the first one's logout.
    const otherSession = new HttpClient(server.url);
    await otherSession.login(user.user!.username);

    const socket = await RawClient.connect(user, group.id);
    await socket.sync();
    const survivor = connectProvider(otherSession, group.id);
    await waitSynced(survivor);
    const oldSecret = user.sessionCookie()!;

    const started = Date.now();
    const r = await user.post('/api/auth/logout');
    expect(r.status).toBe(204);
    const cleared = r.setCookies.find((l) => l.startsWith(`${SESSION_COOKIE_NAME}=`));
    expect(cleared && cookieAttributes(cleared).get('max-age')).toBe('0');

    const closed = await socket.waitClosed(1_000);
    expect(closed.code).toBe(CloseCode.SESSION_ENDED);
    expect(closed.at - started).toBeLessThanOrEqual(1_000);

    const stale = new HttpClient(server.url);
    stale.setCookie(SESSION_COOKIE_NAME, oldSecret);
    expect((await stale.get('/api/me')).status).toBe(401);
    const reconnect = await RawClient.tryConnect(stale, group.id);
    expect(reconnect).toMatchObject({ ok: false, status: 401 });

    expect((await otherSession.get('/api/me')).status).toBe(200);
    expect(survivor.wsconnected).toBe(true);
  });

  it('answers bad bodies with clear errors and keeps serving', async () => {
    const user = await newUser(server.url, 'bodies');
    const send = (body: string | Uint8Array, headers?: Record<string, string>) =>
      user.request('POST', '/api/groups', { body, ...(headers ? { headers } : {}) });

    const malformed = await send('{"name": "x", "members": [');
    expect(malformed.status).toBe(400);
    expect([ErrorCode.BAD_REQUEST, ErrorCode.VALIDATION]).toContain(errorCode(malformed.body));

    // The server's convention: 400 unparsable, 415 not JSON, 422 does not match the schema.
    const wrongTypes = await send(JSON.stringify({ name: 42, members: 'all' }));
    expect(wrongTypes.status).toBe(422);
    expect(errorCode(wrongTypes.body)).toBe(ErrorCode.VALIDATION);

    const unknownField = await send(JSON.stringify({ name: 'x', members: [], admin: true }));
    expect(unknownField.status).toBe(422);
    expect(errorCode(unknownField.body)).toBe(ErrorCode.VALIDATION);

    const notAnObject = await send('[1,2,3]');
    expect(notAnObject.status).toBe(422);

    const notJson = await send('name=x', { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(415);
    expect(errorCode(notJson.body)).toBe(ErrorCode.UNSUPPORTED_MEDIA_TYPE);

    const huge = await send(
      JSON.stringify({ name: 'x', members: [], pad: 'p'.repeat(5 * 1024 * 1024) }),
    );
    expect(huge.status).toBe(413);
    expect(errorCode(huge.body)).toBe(ErrorCode.PAYLOAD_TOO_LARGE);

    const signupTypes = await new HttpClient(server.url).post('/api/auth/signup', {
      username: ['a'],
      email: 1,
      password: null,
    });
    expect(signupTypes.status).toBe(422);
    expect(errorCode(signupTypes.body)).toBe(ErrorCode.VALIDATION);
    const shortPassword = await new HttpClient(server.url).post('/api/auth/signup', {
      username: uniqueUsername('short'),
      email: 'short@example.test',
      password: 'short',
    });
    expect(shortPassword.status).toBe(422);

    // Still serving, for this user and for others.
    expect((await user.get('/api/me')).status).toBe(200);
    expect((await user.createGroup('after the bad bodies')).name).toBe('after the bad bodies');
  });
});

describe('Secure cookie behind an https public origin', () => {
  it('sets Secure when PUBLIC_ORIGIN is https', async () => {
    const publicOrigin = 'https://chat.example.test';
    const server = await startTestServer({ env: { PUBLIC_ORIGIN: publicOrigin } });
    const name = uniqueUsername('secure');
    const r = await new HttpClient(server.url).post(
      '/api/auth/signup',
      { username: name, email: `${name}@example.test`, password: PASSWORD },
      { origin: publicOrigin },
    );
    expect(r.status).toBe(201);
    const line = r.setCookies.find((l) => l.startsWith(`${SESSION_COOKIE_NAME}=`));
    expect(line && cookieAttributes(line).has('secure')).toBe(true);
  });
});

describe('expired sessions', () => {
  it('refuses an expired session cookie over HTTP and on upgrade', async () => {
    // 0.00002 days = 1.728 s of sliding lifetime.
    const ttlMs = 0.00002 * 24 * 3600 * 1000;
    const server = await startTestServer({
      env: { SESSION_TTL_DAYS: '0.00002', SESSION_MAX_DAYS: '0.00004' },
    });
    const user = await newUser(server.url, 'expiring');
    const group = await user.createGroup('short lived');
    const lastUse = Date.now();
    expect((await user.get('/api/me')).status).toBe(200);
    // Wait out the lifetime without touching the server (any request would slide it).
    await waitFor(() => Date.now() > lastUse + ttlMs + 250, {
      timeout: 5_000,
      interval: 50,
      message: 'the session to expire',
    });
    expect((await user.get('/api/me')).status).toBe(401);
    expect(await RawClient.tryConnect(user, group.id)).toMatchObject({ ok: false, status: 401 });
  });
});

describe('auth rate limits', () => {
  it('limits failed logins per account with a clear 429 and Retry-After', async () => {
    const server = await startTestServer({
      env: { AUTH_RATE_LIMIT_ACCOUNT: '3', AUTH_RATE_LIMIT_IP: '1000' },
    });
    const user = await newUser(server.url, 'victim');
    const name = user.user!.username;
    const attacker = new HttpClient(server.url);
    for (let i = 0; i < 3; i++) {
      expect(
        (await attacker.post('/api/auth/login', { login: name, password: `guess ${i} wrong` }))
          .status,
      ).toBe(401);
    }
    const limited = await attacker.post('/api/auth/login', {
      login: name,
      password: 'guess 4 wrong',
    });
    expect(limited.status).toBe(429);
    expect(errorCode(limited.body)).toBe(ErrorCode.RATE_LIMITED);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right password is refused now: a refused attempt reveals nothing.
    expect(
      (await attacker.post('/api/auth/login', { login: name, password: PASSWORD })).status,
    ).toBe(429);
    // Another account from the same address is not affected by this account's limit.
    const other = await newUser(server.url, 'other');
    expect(
      (
        await new HttpClient(server.url).post('/api/auth/login', {
          login: other.user!.username,
          password: PASSWORD,
        })
      ).status,
    ).toBe(200);
  });

  it('limits login and signup attempts per IP with a clear 429', async () => {
    const server = await startTestServer({
      env: { AUTH_RATE_LIMIT_IP: '4', AUTH_RATE_LIMIT_ACCOUNT: '1000' },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await new HttpClient(server.url).post('/api/auth/login', {
        login: `nobody${i}`,
        password: 'whatever1',
      });
      statuses.push(r.status);
      if (r.status === 429) expect(errorCode(r.body)).toBe(ErrorCode.RATE_LIMITED);
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4)).toEqual([429, 429]);
    const name = uniqueUsername('late');
    const signup = await new HttpClient(server.url).post('/api/auth/signup', {
      username: name,
      email: `${name}@example.test`,
      password: PASSWORD,
    });
    expect(signup.status).toBe(429);
  });
});
