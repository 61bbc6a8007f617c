import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  makeId,
  groupResponseSchema,
  listMessagesResponseSchema,
  messageResponseSchema,
} from '@canopy/shared';
import { createAppHarness } from './testing/app-harness.js';
import type { AppHarness, TestUser } from './testing/app-harness.js';

let h: AppHarness;
let ann: TestUser;
let ben: TestUser;
let groupId: string;

beforeEach(async () => {
  h = createAppHarness();
  ann = await h.signup('ann');
  ben = await h.signup('ben');
  const res = await h.request('POST', '/api/groups', {
    cookie: ann.cookie,
    body: { name: 'G', members: [] },
  });
  groupId = groupResponseSchema.parse(await res.json()).group.id;
});
afterEach(async () => {
  await h.close();
});

describe('message API', () => {
  it('posts into the group document and lists oldest first with a cursor', async () => {
    const ids: string[] = [];
    for (const text of ['one', 'two', 'three']) {
      const res = await h.request('POST', `/api/groups/${groupId}/messages`, {
        cookie: ann.cookie,
        body: { text },
      });
      expect(res.status).toBe(201);
      const { message } = messageResponseSchema.parse(await res.json());
      expect(message).toMatchObject({ authorId: ann.user.id, kind: 'text', text });
      ids.push(message.id);
    }
    const page = listMessagesResponseSchema.parse(
      await (
        await h.request('GET', `/api/groups/${groupId}/messages?limit=2`, { cookie: ann.cookie })
      ).json(),
    );
    expect(page.messages.map((m) => m.text)).toEqual(['two', 'three']);
    expect(page.hasMore).toBe(true);
    const older = listMessagesResponseSchema.parse(
      await (
        await h.request('GET', `/api/groups/${groupId}/messages?before=${ids[1]}`, {
          cookie: ann.cookie,
        })
      ).json(),
    );
    expect(older.messages.map((m) => m.text)).toEqual(['one']);
    // A cursor that names no message in the group is an error, not an empty page.
    const unknown = await h.request('GET', `/api/groups/${groupId}/messages?before=${makeId()}`, {
      cookie: ann.cookie,
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('is for members only and validates input', async () => {
    expect(
      (
        await h.request('POST', `/api/groups/${groupId}/messages`, {
          cookie: ben.cookie,
          body: { text: 'hi' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await h.request('GET', `/api/groups/${groupId}/messages`, { cookie: ben.cookie })).status,
    ).toBe(404);
    expect(
      (
        await h.request('POST', `/api/groups/${groupId}/messages`, {
          cookie: ann.cookie,
          body: { text: '' },
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await h.request('POST', `/api/groups/${groupId}/messages`, {
          cookie: ann.cookie,
          body: { text: 'x', authorId: ben.user.id },
        })
      ).status,
    ).toBe(422);
    expect(
      (await h.request('GET', `/api/groups/${groupId}/messages?limit=0`, { cookie: ann.cookie }))
        .status,
    ).toBe(422);
  });
});
