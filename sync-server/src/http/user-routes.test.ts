import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_USER_LOOKUP, errorBodySchema, makeId, userSearchResponseSchema } from '@canopy/shared';
import { createAppHarness } from './testing/app-harness.js';
import type { AppHarness, TestUser } from './testing/app-harness.js';

let h: AppHarness;
let ann: TestUser;
let ben: TestUser;

beforeEach(async () => {
  h = createAppHarness();
  [ann, ben] = [await h.signup('ann'), await h.signup('ben')];
});
afterEach(() => h.close());

const lookup = (body: unknown, cookie = ann.cookie) =>
  h.request('POST', '/api/users/lookup', { cookie, body });

describe('POST /api/users/lookup', () => {
  it('answers public profiles of the known ids, once each', async () => {
    const res = await lookup({ ids: [ben.user.id, makeId(), ben.user.id, ann.user.id] });
    expect(res.status).toBe(200);
    const body: unknown = await res.json();
    const { users } = userSearchResponseSchema.parse(body);
    expect(users.map((u) => u.username)).toEqual(['ben', 'ann']);
    expect(JSON.stringify(body)).not.toContain('@example.com'); // no emails
  });

  it('refuses bad requests and strangers with clear errors', async () => {
    expect((await lookup({ ids: [ben.user.id] }, '')).status).toBe(401);
    for (const body of [
      { ids: [] },
      { ids: Array.from({ length: MAX_USER_LOOKUP + 1 }, () => makeId()) },
      { ids: ['../etc'] },
      { ids: [ben.user.id], extra: true },
      'not an object',
    ]) {
      const res = await lookup(body);
      expect(res.status).toBe(422);
      expect(errorBodySchema.parse(await res.json()).error.message).not.toBe('');
    }
  });
});
