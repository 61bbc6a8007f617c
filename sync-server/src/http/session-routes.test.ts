import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorBodySchema, sessionListResponseSchema } from '@canopy/shared';
import { createAppHarness, sessionCookieOf } from './testing/app-harness.js';
import type { AppHarness, TestUser } from './testing/app-harness.js';
import { sseReader } from './testing/sse-reader.js';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0';
const SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

let h: AppHarness;
let ann: TestUser;
let ben: TestUser;

beforeEach(async () => {
  h = createAppHarness();
  ann = await h.signup('ann');
  ben = await h.signup('ben');
});
afterEach(async () => {
  await h.close();
});

/** Ann signs in again from another device; its cookie. */
async function annFrom(userAgent: string): Promise<string> {
  const res = await h.request('POST', '/api/auth/login', {
    body: { login: 'ann', password: ann.password },
    headers: { 'user-agent': userAgent },
  });
  expect(res.status).toBe(200);
  return sessionCookieOf(res)!;
}

const list = async (cookie: string) =>
  sessionListResponseSchema.parse(
    await (await h.request('GET', '/api/me/sessions', { cookie })).json(),
  ).sessions;

describe('/api/me/sessions', () => {
  it('lists my devices, newest first, with the one asking marked', async () => {
    const laptop = await annFrom(FIREFOX);
    const phone = await annFrom(SAFARI);
    const seen = await list(laptop);
    expect(seen.map((s) => [s.device, s.current])).toEqual([
      ['Safari on iOS', false],
      ['Firefox on Windows', true],
      [null, false], // the sign-up, which sent no User-Agent
    ]);
    expect((await list(phone)).filter((s) => s.current).map((s) => s.device)).toEqual([
      'Safari on iOS',
    ]);
    // Nobody else's sessions show, and the list needs a session.
    expect(await list(ben.cookie)).toHaveLength(1);
    expect((await h.request('GET', '/api/me/sessions')).status).toBe(401);
  });

  it('signs one other device out at once, and refuses what is not mine or in use', async () => {
    const laptop = await annFrom(FIREFOX);
    const phone = await annFrom(SAFARI);
    const phoneEvents = sseReader(await h.request('GET', '/api/events', { cookie: phone }));
    const phoneId = (await list(laptop)).find((s) => s.device === 'Safari on iOS')!.id;

    // Ben cannot end it, nor can the phone end the session it is using.
    const byBen = await h.request('DELETE', `/api/me/sessions/${phoneId}`, { cookie: ben.cookie });
    expect(byBen.status).toBe(404);
    const itself = await h.request('DELETE', `/api/me/sessions/${phoneId}`, { cookie: phone });
    expect(itself.status).toBe(409);
    expect(errorBodySchema.parse(await itself.json()).error.code).toBe('conflict');
    const odd = await h.request('DELETE', '/api/me/sessions/..%2Fx', { cookie: laptop });
    expect(odd.status).toBe(404);

    const res = await h.request('DELETE', `/api/me/sessions/${phoneId}`, { cookie: laptop });
    expect(res.status).toBe(204);
    expect(await phoneEvents.next()).toEqual({ type: 'session-ended', reason: 'logout' });
    expect((await h.request('GET', '/api/me', { cookie: phone })).status).toBe(401);
    expect((await h.request('GET', '/api/me', { cookie: laptop })).status).toBe(200);
    expect((await list(laptop)).map((s) => s.device)).toEqual(['Firefox on Windows', null]);
  });

  it('signs every other device out, keeping the one asking', async () => {
    const laptop = await annFrom(FIREFOX);
    const phone = await annFrom(SAFARI);
    expect((await h.request('DELETE', '/api/me/sessions', { cookie: laptop })).status).toBe(204);
    expect((await h.request('GET', '/api/me', { cookie: phone })).status).toBe(401);
    expect((await h.request('GET', '/api/me', { cookie: ann.cookie })).status).toBe(401);
    expect((await list(laptop)).map((s) => [s.device, s.current])).toEqual([
      ['Firefox on Windows', true],
    ]);
    expect((await h.request('GET', '/api/me', { cookie: ben.cookie })).status).toBe(200);
  });

  it('keeps the device of a session renewed by a password change', async () => {
    const laptop = await annFrom(FIREFOX);
    const res = await h.request('POST', '/api/me/password', {
      cookie: laptop,
      body: { currentPassword: ann.password, newPassword: 'another good password' },
    });
    expect(res.status).toBe(200);
    const renewed = sessionCookieOf(res)!;
    expect((await list(renewed)).map((s) => [s.device, s.current])).toEqual([
      ['Firefox on Windows', true],
    ]);
  });
});
