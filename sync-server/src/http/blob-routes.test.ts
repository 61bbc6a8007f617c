// Blob routes through app.request(): the body arrives as a web stream here (no Node request),
// so this covers the other branch of requestBody; the socket-level cases are in
// test/integration/blobs.test.ts.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobResponseSchema, errorBodySchema, groupResponseSchema } from '@canopy/shared';
import type { Group } from '@canopy/shared';
import { ORIGIN, createAppHarness } from './testing/app-harness.js';
import type { AppHarness, TestUser } from './testing/app-harness.js';

// 1x1 RGB PNG
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
  'base64',
);

let h: AppHarness;
let ann: TestUser;
let ben: TestUser;
let group: Group;

beforeEach(async () => {
  h = createAppHarness({ maxUploadBytes: 1024 });
  [ann, ben] = [await h.signup('ann'), await h.signup('ben')];
  const res = await h.request('POST', '/api/groups', {
    cookie: ann.cookie,
    body: { name: 'Team', members: [] },
  });
  group = groupResponseSchema.parse(await res.json()).group;
});
afterEach(async () => {
  await h.close();
});

function upload(body: Uint8Array, type: string, who = ann): Promise<Response> {
  return Promise.resolve(
    h.app.request(`${ORIGIN}/api/groups/${group.id}/blobs`, {
      method: 'POST',
      headers: { origin: ORIGIN, cookie: who.cookie, 'content-type': type },
      body,
    }),
  );
}

const codeOf = async (res: Response) => errorBodySchema.parse(await res.json()).error.code;

describe('blob routes', () => {
  it('stores and serves an image with the blob CSP, not the app CSP', async () => {
    const res = await upload(PNG, 'image/png');
    expect(res.status).toBe(201);
    const { blob } = blobResponseSchema.parse(await res.json());
    expect(blob).toMatchObject({ mime: 'image/png', width: 1, height: 1, size: PNG.length });
    const got = await h.request('GET', `/api/blobs/${blob.sha256}`, { cookie: ann.cookie });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(PNG)).toBe(true);
    expect(got.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    const other = await h.request('GET', `/api/blobs/${blob.sha256}`, { cookie: ben.cookie });
    expect(other.status).toBe(404);
  });

  it('refuses a mislabelled image, an empty body and an oversized one', async () => {
    const jpeg = await upload(PNG, 'image/jpeg');
    expect(jpeg.status).toBe(415);
    expect(await codeOf(jpeg)).toBe('unsupported_media_type');
    const empty = await upload(new Uint8Array(), 'application/octet-stream');
    expect(empty.status).toBe(400);
    const big = await upload(new Uint8Array(2048), 'application/octet-stream');
    expect(big.status).toBe(413);
    expect(readdirSync(path.join(h.config.dataDir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('lets PATCH /api/me set only an avatar the user uploaded as one', async () => {
    const { blob } = blobResponseSchema.parse(await (await upload(PNG, 'image/png')).json());
    const patch = (avatar: string | null) =>
      h.request('PATCH', '/api/me', { cookie: ann.cookie, body: { avatar } });
    expect((await patch(blob.sha256)).status).toBe(422);
    const put = await h.app.request(`${ORIGIN}/api/me/avatar`, {
      method: 'PUT',
      headers: { origin: ORIGIN, cookie: ann.cookie, 'content-type': 'image/png' },
      body: PNG,
    });
    expect(put.status).toBe(200);
    expect((await patch(blob.sha256)).status).toBe(200);
    expect((await patch(null)).status).toBe(200);
    // removed as avatar: the group ref still lets members read it, strangers not
    expect(
      (await h.request('GET', `/api/blobs/${blob.sha256}`, { cookie: ben.cookie })).status,
    ).toBe(404);
  });

  it('sweeps what nothing references: files of deleted groups, replaced avatars', async () => {
    const { blob: picture } = blobResponseSchema.parse(
      await (await upload(PNG, 'image/png')).json(),
    );
    const other = groupResponseSchema.parse(
      await (
        await h.request('POST', '/api/groups', {
          cookie: ann.cookie,
          body: { name: 'Other', members: [] },
        })
      ).json(),
    ).group;
    const notes = Buffer.from('meeting notes, only in the other group');
    const stored = await h.app.request(`${ORIGIN}/api/groups/${other.id}/blobs`, {
      method: 'POST',
      headers: { origin: ORIGIN, cookie: ann.cookie, 'content-type': 'text/plain' },
      body: notes,
    });
    const { blob: note } = blobResponseSchema.parse(await stored.json());
    // The same picture as an avatar, then removed: the Team group still references it.
    const put = await h.app.request(`${ORIGIN}/api/me/avatar`, {
      method: 'PUT',
      headers: { origin: ORIGIN, cookie: ann.cookie, 'content-type': 'image/png' },
      body: PNG,
    });
    expect(put.status).toBe(200);
    expect((await h.request('DELETE', '/api/me/avatar', { cookie: ann.cookie })).status).toBe(200);
    const leave = (g: Group) =>
      h.request('DELETE', `/api/groups/${g.id}/members/${ann.user.id}`, { cookie: ann.cookie });
    expect((await leave(other)).status).toBeLessThan(300); // the last member: the group is gone

    const onDisk = (sha: string) => existsSync(h.services.blobs.pathOf(sha));
    expect(onDisk(note.sha256)).toBe(true);
    expect(h.services.blobs.sweep()).toEqual({ blobs: 1, bytes: notes.length });
    expect(onDisk(note.sha256)).toBe(false);
    expect(onDisk(picture.sha256)).toBe(true);
    const read = (sha: string) => h.request('GET', `/api/blobs/${sha}`, { cookie: ann.cookie });
    expect((await read(picture.sha256)).status).toBe(200);
    expect((await read(note.sha256)).status).toBe(404);
    expect(h.services.blobs.sweep()).toEqual({ blobs: 0, bytes: 0 });

    expect((await leave(group)).status).toBeLessThan(300);
    expect(h.services.blobs.sweep()).toEqual({ blobs: 1, bytes: PNG.length });
    expect(onDisk(picture.sha256)).toBe(false);
  });
});
