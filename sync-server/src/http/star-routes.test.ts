import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupResponseSchema, starListResponseSchema, starResponseSchema } from '@canopy/shared';
import type { Group } from '@canopy/shared';
import { createAppHarness } from './testing/app-harness.js';
import type { AppHarness, TestUser } from './testing/app-harness.js';
import { sseReader } from './testing/sse-reader.js';

let h: AppHarness;
let ann: TestUser;
let ben: TestUser;
let cat: TestUser;
let group: Group;

beforeEach(async () => {
  h = createAppHarness();
  [ann, ben, cat] = [await h.signup('ann'), await h.signup('ben'), await h.signup('cat')];
  const res = await h.request('POST', '/api/groups', {
    cookie: ann.cookie,
    body: { name: 'Team', members: [ben.user.id] },
  });
  group = groupResponseSchema.parse(await res.json()).group;
});
afterEach(async () => {
  await h.close();
});

const starsOf = async (u: TestUser) =>
  starListResponseSchema.parse(
    await (await h.request('GET', '/api/stars', { cookie: u.cookie })).json(),
  ).stars;
const star = (u: TestUser, id: string = group.id) =>
  h.request('PUT', `/api/groups/${id}/star`, { cookie: u.cookie });
const unstar = (u: TestUser, id: string = group.id) =>
  h.request('DELETE', `/api/groups/${id}/star`, { cookie: u.cookie });

describe('stars', () => {
  it("keeps a member's star to that member and their own event streams", async () => {
    const annEvents = sseReader(await h.request('GET', '/api/events', { cookie: ann.cookie }));
    const benEvents = sseReader(await h.request('GET', '/api/events', { cookie: ben.cookie }));
    const before = Date.now();
    const res = await star(ben);
    expect(res.status).toBe(200);
    const first = starResponseSchema.parse(await res.json()).star;
    expect(first.groupId).toBe(group.id);
    expect(first.at).toBeGreaterThanOrEqual(before);
    expect(await benEvents.next()).toEqual({
      type: 'star',
      groupId: group.id,
      star: { at: first.at },
    });
    expect(await starsOf(ben)).toEqual([first]);
    expect(await starsOf(ann)).toEqual([]);

    // Starring again is a no-op: same moment, no second event (the next one is the rename).
    const again = starResponseSchema.parse(await (await star(ben)).json()).star;
    expect(again).toEqual(first);
    await h.request('PATCH', `/api/groups/${group.id}`, {
      cookie: ann.cookie,
      body: { name: 'Renamed' },
    });
    const renamed = await annEvents.next();
    expect(renamed.type).toBe('group');
    expect(JSON.stringify(renamed)).not.toContain('star');
    expect((await benEvents.next()).type).toBe('group');

    expect((await unstar(ben)).status).toBe(204);
    expect(await starsOf(ben)).toEqual([]);
    expect(await benEvents.next()).toEqual({ type: 'star', groupId: group.id, star: null });
    await annEvents.cancel();
    await benEvents.cancel();
  });

  it('refuses non-members and strangers, and forgets a star when the member leaves', async () => {
    // Not a member: the group does not exist for them.
    expect((await star(cat)).status).toBe(404);
    expect((await unstar(cat)).status).toBe(404);
    expect((await star(ben, 'not-a-group-id-at-all')).status).toBe(404);
    expect((await h.request('GET', '/api/stars')).status).toBe(401);
    expect((await h.request('PUT', `/api/groups/${group.id}/star`)).status).toBe(401);
    expect(await starsOf(cat)).toEqual([]);

    expect((await star(ben)).status).toBe(200);
    await h.request('DELETE', `/api/groups/${group.id}/members/${ben.user.id}`, {
      cookie: ben.cookie,
    });
    expect(await starsOf(ben)).toEqual([]);
    await h.request('POST', `/api/groups/${group.id}/members`, {
      cookie: ann.cookie,
      body: { userId: ben.user.id },
    });
    expect(await starsOf(ben)).toEqual([]);
  });
});
