import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupResponseSchema, messageResponseSchema } from '@canopy/shared';
import type { UserEvent } from '@canopy/shared';
import { createAppHarness } from './testing/app-harness.js';
import type { AppHarness, TestUser } from './testing/app-harness.js';
import { sseReader } from './testing/sse-reader.js';

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

/** Ann, Ben and Cat in a group "Trio" made by Ann, with Ben's and Cat's event streams. */
async function trio() {
  const cat = await h.signup('cat');
  const created = await h.request('POST', '/api/groups', {
    cookie: ann.cookie,
    body: { name: 'Trio', members: [ben.user.id, cat.user.id] },
  });
  const group = groupResponseSchema.parse(await created.json()).group;
  const forBen = sseReader(await h.request('GET', '/api/events', { cookie: ben.cookie }));
  const forCat = sseReader(await h.request('GET', '/api/events', { cookie: cat.cookie }));
  return { cat, group, forBen, forCat };
}

describe('GET /api/events', () => {
  it('requires a session', async () => {
    expect((await h.request('GET', '/api/events')).status).toBe(401);
  });

  it('tells a user they were added to a group and removed from it', async () => {
    const res = await h.request('GET', '/api/events', { cookie: ben.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sseReader(res);
    const created = await h.request('POST', '/api/groups', {
      cookie: ann.cookie,
      body: { name: 'Plans', members: [ben.user.id] },
    });
    const group = groupResponseSchema.parse(await created.json()).group;
    const added = await events.next();
    expect(added).toMatchObject({ type: 'group', group: { id: group.id, name: 'Plans' } });

    await h.request('DELETE', `/api/groups/${group.id}/members/${ben.user.id}`, {
      cookie: ann.cookie,
    });
    expect(await events.next()).toEqual({ type: 'group-removed', groupId: group.id });
    await events.cancel();
  });

  it('sends session-ended and closes the stream on logout', async () => {
    const events = sseReader(await h.request('GET', '/api/events', { cookie: ben.cookie }));
    await h.request('POST', '/api/auth/logout', { cookie: ben.cookie });
    expect(await events.next()).toEqual({ type: 'session-ended', reason: 'logout' });
    expect(await events.ended()).toBe(true);
  });

  it('fans relay activity (new messages, edits) out to the other members, without message text', async () => {
    const created = await h.request('POST', '/api/groups', {
      cookie: ann.cookie,
      body: { name: 'Chat', members: [ben.user.id] },
    });
    const group = groupResponseSchema.parse(await created.json()).group;
    const events = sseReader(await h.request('GET', '/api/events', { cookie: ben.cookie }));
    const mine = sseReader(await h.request('GET', '/api/events', { cookie: ann.cookie }));
    const posted = await h.request('POST', `/api/groups/${group.id}/messages`, {
      cookie: ann.cookie,
      body: { text: 'secret plans' },
    });
    expect(posted.status).toBe(201);
    const event = await events.next();
    expect(event).toMatchObject({ type: 'activity', groupId: group.id, authorId: ann.user.id });
    expect(JSON.stringify(event)).not.toContain('secret plans');
    // An edit is announced as a change of that message (sidebars refresh their preview).
    const { message } = messageResponseSchema.parse(await posted.json());
    await h.relay.editMessage(group.id, ann.user.id, message.id, 'secret plans, revised');
    const edited = await events.next();
    expect(edited).toMatchObject({
      type: 'activity',
      groupId: group.id,
      authorId: ann.user.id,
      messageId: message.id,
      change: 'edit',
    });
    expect(JSON.stringify(edited)).not.toContain('secret plans');
    // the author hears nothing about their own message or edit
    await expect(mine.next(300)).rejects.toThrow('no event in time');
    await events.cancel();
    await mine.cancel();
  });

  it('flags the activity of a message that mentions the recipient, and only for them', async () => {
    const { group, forBen, forCat } = await trio();
    const post = (text: string) =>
      h.request('POST', `/api/groups/${group.id}/messages`, { cookie: ann.cookie, body: { text } });
    expect((await post(`lunch, @${ben.user.username}?`)).status).toBe(201);
    const toBen = await forBen.next();
    expect(toBen).toMatchObject({ type: 'activity', groupId: group.id, mention: true });
    expect(JSON.stringify(toBen)).not.toContain('lunch');
    const toCat = await forCat.next();
    expect(toCat).toMatchObject({ type: 'activity', groupId: group.id });
    expect('mention' in toCat).toBe(false);
    // A name that is nobody here, or an address, flags nothing.
    expect((await post('ask @nobody_here or mail ben@example.com')).status).toBe(201);
    expect('mention' in (await forBen.next())).toBe(false);
    await forBen.cancel();
    await forCat.cancel();
  });

  it('flags an edit for the people it mentions that the version before did not', async () => {
    const { cat, group, forBen, forCat } = await trio();
    const posted = await h.request('POST', `/api/groups/${group.id}/messages`, {
      cookie: ann.cookie,
      body: { text: 'lunch?' },
    });
    const { message } = messageResponseSchema.parse(await posted.json());
    expect('mention' in (await forBen.next())).toBe(false);
    expect('mention' in (await forCat.next())).toBe(false);
    const edit = async (text: string) => {
      await h.relay.editMessage(group.id, ann.user.id, message.id, text);
      return [await forBen.next(), await forCat.next()] as const;
    };

    const [benFirst, catFirst] = await edit(`lunch, @${ben.user.username}?`);
    expect(benFirst).toMatchObject({ change: 'edit', messageId: message.id, mention: true });
    expect('mention' in catFirst).toBe(false);
    // Ben was named before: only Cat is newly mentioned.
    const [benSecond, catSecond] = await edit(
      `lunch, @${ben.user.username} and @${cat.user.username}?`,
    );
    expect('mention' in benSecond).toBe(false);
    expect(catSecond).toMatchObject({ change: 'edit', mention: true });
    // Fewer names than before: nobody is newly mentioned.
    const [benThird, catThird] = await edit(`lunch, @${cat.user.username}?`);
    expect('mention' in benThird).toBe(false);
    expect('mention' in catThird).toBe(false);
    await forBen.cancel();
    await forCat.cancel();
  });

  it('announces a profile change to everyone sharing a group, and to nobody else', async () => {
    const cy = await h.signup('cyd'); // shares no group with ann
    await h.request('POST', '/api/groups', {
      cookie: ann.cookie,
      body: { name: 'Team', members: [ben.user.id] },
    });
    const events = sseReader(await h.request('GET', '/api/events', { cookie: ben.cookie }));
    const own = sseReader(await h.request('GET', '/api/events', { cookie: ann.cookie }));
    const stranger = sseReader(await h.request('GET', '/api/events', { cookie: cy.cookie }));
    const res = await h.request('PATCH', '/api/me', {
      cookie: ann.cookie,
      body: { displayName: 'Ann Lee' },
    });
    expect(res.status).toBe(200);
    const seen = await events.next();
    expect(seen).toMatchObject({
      type: 'user',
      user: { id: ann.user.id, displayName: 'Ann Lee', avatar: null },
    });
    expect(JSON.stringify(seen)).not.toContain(ann.user.email); // public fields only
    expect(await own.next()).toMatchObject({ type: 'user', user: { displayName: 'Ann Lee' } });
    await expect(stranger.next(300)).rejects.toThrow('no event in time');
    await events.cancel();
    await own.cancel();
    await stranger.cancel();
  });
});

describe('presence on the event channel', () => {
  it('tells DM partners who opened the app, once per user, and who left, after the grace', async () => {
    const p = createAppHarness({ presenceGraceMs: 100 });
    try {
      const [ann, ben, cat] = [await p.signup('ann'), await p.signup('ben'), await p.signup('cat')];
      expect(
        (await p.request('POST', '/api/dms', { cookie: ann.cookie, body: { userId: ben.user.id } }))
          .status,
      ).toBeLessThan(300);
      // Cat shares a group with Ann, not a DM: the sidebar shows no presence for groups.
      await p.request('POST', '/api/groups', {
        cookie: ann.cookie,
        body: { name: 'Plans', members: [cat.user.id] },
      });
      const open = async (user: TestUser) =>
        sseReader(await p.request('GET', '/api/events', { cookie: user.cookie }));
      const online = (user: TestUser, on: boolean): UserEvent => ({
        type: 'presence',
        userId: user.user.id,
        online: on,
      });

      const annStream = await open(ann);
      const benTab1 = await open(ben);
      expect(await annStream.next()).toEqual(online(ben, true));
      // A stream that opens hears which DM partners are online.
      expect(await benTab1.next()).toEqual(online(ann, true));
      const benTab2 = await open(ben);
      expect(await benTab2.next()).toEqual(online(ann, true));
      const catStream = await open(cat);

      // One tab of two closing changes nothing; the last one does, once the grace is over.
      // (A second "online" for the second tab, or anything about Cat, would come first.)
      await benTab1.cancel();
      await benTab2.cancel();
      expect(await annStream.next()).toEqual(online(ben, false));

      // A reload within the grace: closed and opened again, the partner hears nothing. Ben's
      // next profile change is what Ann hears next (an "offline" would come first).
      const benAgain = await open(ben);
      expect(await annStream.next()).toEqual(online(ben, true));
      await benAgain.cancel();
      const reloaded = await open(ben);
      expect(await reloaded.next()).toEqual(online(ann, true));
      await p.request('PATCH', '/api/me', { cookie: ben.cookie, body: { displayName: 'Benny' } });
      expect(await annStream.next()).toMatchObject({
        type: 'user',
        user: { displayName: 'Benny' },
      });
      await reloaded.cancel();
      expect(await annStream.next()).toEqual(online(ben, false));

      // A new DM between two people who are online: each hears about the other at once.
      await p.request('POST', '/api/dms', { cookie: ann.cookie, body: { userId: cat.user.id } });
      expect(await annStream.next()).toMatchObject({ type: 'group', group: { kind: 'dm' } });
      expect(await annStream.next()).toEqual(online(cat, true));
      expect(await catStream.next()).toMatchObject({ type: 'group', group: { kind: 'dm' } });
      expect(await catStream.next()).toEqual(online(ann, true));
      await annStream.cancel();
      await catStream.cancel();
    } finally {
      await p.close();
    }
  });
});
