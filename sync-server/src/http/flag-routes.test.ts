import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flagListResponseSchema, flagResponseSchema } from '@canopy/shared';
import type { Group } from '@canopy/shared';
import { annBenCatTeam, createAppHarness } from './testing/app-harness.js';
import type { AppHarness, TestUser } from './testing/app-harness.js';
import { sseReader } from './testing/sse-reader.js';

let h: AppHarness;
let ann: TestUser;
let ben: TestUser;
let cat: TestUser;
let group: Group;

beforeEach(async () => {
  h = createAppHarness();
  ({ ann, ben, cat, group } = await annBenCatTeam(h));
});
afterEach(async () => {
  await h.close();
});

const flagsOf = async (u: TestUser) =>
  flagListResponseSchema.parse(
    await (await h.request('GET', '/api/flags', { cookie: u.cookie })).json(),
  ).flags;
const set = (u: TestUser, flag: string, id: string = group.id) =>
  h.request('PUT', `/api/groups/${id}/flags/${flag}`, { cookie: u.cookie });
const clear = (u: TestUser, flag: string, id: string = group.id) =>
  h.request('DELETE', `/api/groups/${id}/flags/${flag}`, { cookie: u.cookie });

describe('conversation flags', () => {
  it("keeps a member's flags to that member and their own event streams", async () => {
    const annEvents = sseReader(await h.request('GET', '/api/events', { cookie: ann.cookie }));
    const benEvents = sseReader(await h.request('GET', '/api/events', { cookie: ben.cookie }));
    const before = Date.now();
    const res = await set(ben, 'star');
    expect(res.status).toBe(200);
    const star = flagResponseSchema.parse(await res.json()).flag;
    expect([star.groupId, star.flag]).toEqual([group.id, 'star']);
    expect(star.at).toBeGreaterThanOrEqual(before);
    expect(await benEvents.next()).toEqual({
      type: 'flag',
      groupId: group.id,
      flag: 'star',
      at: star.at,
    });
    const unread = flagResponseSchema.parse(await (await set(ben, 'unread')).json()).flag;
    expect(await benEvents.next()).toMatchObject({ type: 'flag', flag: 'unread' });
    expect(await flagsOf(ben)).toEqual([star, unread]);
    expect(await flagsOf(ann)).toEqual([]);

    // Setting again is a no-op: same moment, no second event (the next one is the rename).
    expect(flagResponseSchema.parse(await (await set(ben, 'star')).json()).flag).toEqual(star);
    await h.request('PATCH', `/api/groups/${group.id}`, {
      cookie: ann.cookie,
      body: { name: 'Renamed' },
    });
    const renamed = await annEvents.next();
    expect(renamed.type).toBe('group');
    expect(JSON.stringify(renamed)).not.toContain('flag');
    expect((await benEvents.next()).type).toBe('group');

    expect((await clear(ben, 'star')).status).toBe(204);
    expect(await flagsOf(ben)).toEqual([unread]);
    expect(await benEvents.next()).toEqual({
      type: 'flag',
      groupId: group.id,
      flag: 'star',
      at: null,
    });
    await annEvents.cancel();
    await benEvents.cancel();
  });

  it('refuses unknown flags, non-members and strangers, and forgets flags on leaving', async () => {
    expect((await set(ben, 'pinned')).status).toBe(404);
    expect((await clear(ben, 'pinned')).status).toBe(404);
    // Not a member: the group does not exist for them.
    expect((await set(cat, 'star')).status).toBe(404);
    expect((await clear(cat, 'unread')).status).toBe(404);
    expect((await set(ben, 'star', 'not-a-group-id-at-all')).status).toBe(404);
    expect((await h.request('GET', '/api/flags')).status).toBe(401);
    expect((await h.request('PUT', `/api/groups/${group.id}/flags/star`)).status).toBe(401);
    expect(await flagsOf(cat)).toEqual([]);

    expect((await set(ben, 'star')).status).toBe(200);
    expect((await set(ben, 'unread')).status).toBe(200);
    await h.request('DELETE', `/api/groups/${group.id}/members/${ben.user.id}`, {
      cookie: ben.cookie,
    });
    expect(await flagsOf(ben)).toEqual([]);
    await h.request('POST', `/api/groups/${group.id}/members`, {
      cookie: ann.cookie,
      body: { userId: ben.user.id },
    });
    expect(await flagsOf(ben)).toEqual([]);
  });
});
