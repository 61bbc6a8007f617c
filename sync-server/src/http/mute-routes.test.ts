import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorBodySchema, muteListResponseSchema, muteResponseSchema } from '@canopy/shared';
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

const mutesOf = async (u: TestUser) =>
  muteListResponseSchema.parse(
    await (await h.request('GET', '/api/mutes', { cookie: u.cookie })).json(),
  ).mutes;
const mute = (u: TestUser, body: unknown, id: string = group.id) =>
  h.request('PUT', `/api/groups/${id}/mute`, { cookie: u.cookie, body });

describe('mutes', () => {
  it("keeps a member's mute to that member and their own event streams", async () => {
    const annEvents = sseReader(await h.request('GET', '/api/events', { cookie: ann.cookie }));
    const benEvents = sseReader(await h.request('GET', '/api/events', { cookie: ben.cookie }));
    const until = Date.now() + 60 * 60 * 1000;
    const res = await mute(ben, { until });
    expect(res.status).toBe(200);
    expect(muteResponseSchema.parse(await res.json()).mute).toEqual({ groupId: group.id, until });
    expect(await benEvents.next()).toEqual({ type: 'mute', groupId: group.id, mute: { until } });
    expect(await mutesOf(ben)).toEqual([{ groupId: group.id, until }]);
    expect(await mutesOf(ann)).toEqual([]);

    // Ann's next event is the rename: she heard nothing of Ben's mute, and the group
    // object members receive does not carry it.
    await h.request('PATCH', `/api/groups/${group.id}`, {
      cookie: ann.cookie,
      body: { name: 'Renamed' },
    });
    const renamed = await annEvents.next();
    expect(renamed.type).toBe('group');
    expect(JSON.stringify(renamed)).not.toContain('mute');

    // "Until I unmute", then unmute.
    expect((await mute(ben, { until: null })).status).toBe(200);
    expect(await mutesOf(ben)).toEqual([{ groupId: group.id, until: null }]);
    const del = await h.request('DELETE', `/api/groups/${group.id}/mute`, { cookie: ben.cookie });
    expect(del.status).toBe(204);
    expect(await mutesOf(ben)).toEqual([]);
    expect((await benEvents.next()).type).toBe('group'); // the rename
    expect(await benEvents.next()).toEqual({
      type: 'mute',
      groupId: group.id,
      mute: { until: null },
    });
    expect(await benEvents.next()).toEqual({ type: 'mute', groupId: group.id, mute: null });
    await annEvents.cancel();
    await benEvents.cancel();
  });

  it('refuses bad mutes and non-members, and forgets a mute when the member leaves', async () => {
    const code = async (res: Response) => errorBodySchema.parse(await res.json()).error.code;
    const past = await mute(ben, { until: Date.now() - 1000 });
    expect(past.status).toBe(422);
    const tooFar = await mute(ben, { until: Date.now() + 400 * 24 * 60 * 60 * 1000 });
    expect(tooFar.status).toBe(422);
    expect(await code(await mute(ben, { until: 'soon' }))).toBe('validation_failed');
    expect((await mute(ben, { until: null, extra: 1 })).status).toBe(422);
    expect((await mute(ben, {})).status).toBe(422);
    // Not a member: the group does not exist for them.
    expect((await mute(cat, { until: null })).status).toBe(404);
    expect((await mute(ben, { until: null }, 'not-a-group-id-at-all')).status).toBe(404);
    expect((await h.request('GET', '/api/mutes')).status).toBe(401);
    expect(await mutesOf(ben)).toEqual([]);

    expect((await mute(ben, { until: null })).status).toBe(200);
    await h.request('DELETE', `/api/groups/${group.id}/members/${ben.user.id}`, {
      cookie: ben.cookie,
    });
    await h.request('POST', `/api/groups/${group.id}/members`, {
      cookie: ann.cookie,
      body: { userId: ben.user.id },
    });
    expect(await mutesOf(ben)).toEqual([]);
  });
});
