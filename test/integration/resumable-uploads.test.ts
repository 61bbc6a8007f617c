// Resumable uploads over the tus protocol against a real server and blob folder: an upload
// cut off mid-body keeps what arrived and goes on from there; the finished file is the same
// blob a one-request upload makes; only its creator, a member of the group, may touch it;
// too large, wrong offsets and outsiders get clear refusals; unfinished uploads reserve their
// size of the quota and are limited in number.
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, blobResponseSchema, errorBodySchema } from '@canopy/shared';
import type { Group } from '@canopy/shared';
import { groupWithMembers } from '../utils/fixtures.js';
import { newUser } from '../utils/http-client.js';
import type { HttpClient } from '../utils/http-client.js';
import { seededRandom } from '../utils/seeded-random.js';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { waitFor } from '../utils/wait-for.js';

const KB = 1024;
const MAX_UPLOAD = 512 * KB;
const QUOTA = 1024 * KB;

let server: TestServer;
let owner: HttpClient;
let member: HttpClient;
let outsider: HttpClient;
let group: Group;

beforeAll(async () => {
  server = await startTestServer({
    env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD), USER_QUOTA_BYTES: String(QUOTA) },
  });
  const fixture = await groupWithMembers(server.url, 1, 'files');
  ({ owner, group } = fixture);
  member = fixture.members[0] as HttpClient;
  outsider = await newUser(server.url, 'out');
});

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function tus(
  client: HttpClient,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Uint8Array,
): Promise<Response> {
  const init: RequestInit = {
    method,
    headers: {
      'Tus-Resumable': '1.0.0',
      cookie: client.cookieHeader(),
      origin: new URL(server.url).origin,
      ...headers,
    },
  };
  if (body) init.body = body;
  return fetch(server.url + path, init);
}

async function create(client: HttpClient, size: number, groupId = group.id): Promise<Response> {
  return tus(client, 'POST', '/api/uploads', {
    'Upload-Length': String(size),
    'Upload-Metadata': `groupId ${b64(groupId)},name ${b64('notes.bin')},type ${b64('application/octet-stream')}`,
  });
}

const patch = (client: HttpClient, location: string, offset: number, bytes: Uint8Array) =>
  tus(
    client,
    'PATCH',
    location,
    { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    bytes,
  );

const offsetOf = async (client: HttpClient, location: string): Promise<number> => {
  const res = await tus(client, 'HEAD', location);
  expect(res.status).toBe(200);
  return Number(res.headers.get('upload-offset'));
};

/** Sends `bytes` as a PATCH body but cuts the connection before its end. */
async function patchCutOff(location: string, bytes: Uint8Array, sendBeforeCut: number) {
  const url = new URL(location, server.url);
  const req = httpRequest(url, {
    method: 'PATCH',
    headers: {
      'Tus-Resumable': '1.0.0',
      'Upload-Offset': '0',
      'Content-Type': 'application/offset+octet-stream',
      'Content-Length': String(bytes.length),
      cookie: owner.cookieHeader(),
      origin: url.origin,
    },
  });
  req.on('error', () => undefined);
  await new Promise<void>((resolve) =>
    req.write(bytes.subarray(0, sendBeforeCut), () => resolve()),
  );
  // The server has the first part once the offset it reports moves.
  await waitFor(async () => (await offsetOf(owner, location)) > 0, {
    message: 'part of the body to arrive',
  });
  req.destroy();
}

describe('resumable uploads', () => {
  it('keeps what arrived before a cut and finishes from there, as the same blob', async () => {
    const file = seededRandom(41).bytes(300 * KB);
    const created = await create(owner, file.length);
    expect(created.status).toBe(201);
    const location = created.headers.get('location') ?? '';
    expect(location).toMatch(/^\/api\/uploads\/[0-9a-z]+$/);

    await patchCutOff(location, file, 200 * KB);
    const kept = await waitFor(async () => {
      const offset = await offsetOf(owner, location);
      // Stable once the server noticed the cut.
      return offset === (await offsetOf(owner, location)) ? offset : null;
    });
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(200 * KB);

    // Someone else cannot see or extend it; a wrong offset is refused.
    expect((await tus(member, 'HEAD', location)).status).toBe(404);
    expect((await patch(member, location, kept, file.subarray(kept))).status).toBe(404);
    const wrongOffset = await patch(owner, location, 0, file);
    expect(wrongOffset.status).toBe(409);
    expect(errorBodySchema.parse(await wrongOffset.json()).error.code).toBe(ErrorCode.CONFLICT);

    const done = await patch(owner, location, kept, file.subarray(kept));
    expect(done.status).toBe(201);
    const { blob } = blobResponseSchema.parse(await done.json());
    expect(blob.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    expect(blob.size).toBe(file.length);
    // The member of the group reads it like any attachment; the upload itself is gone.
    const read = await fetch(`${server.url}/api/blobs/${blob.sha256}`, {
      headers: { cookie: member.cookieHeader() },
    });
    expect(Buffer.from(await read.arrayBuffer()).equals(Buffer.from(file))).toBe(true);
    expect((await tus(owner, 'HEAD', location)).status).toBe(404);
  });

  it('refuses outsiders, missing groups and files over the limit, with our error body', async () => {
    const outside = await create(outsider, 10 * KB);
    expect(outside.status).toBe(404);
    expect(errorBodySchema.parse(await outside.json()).error.code).toBe(ErrorCode.NOT_FOUND);

    const noGroup = await tus(owner, 'POST', '/api/uploads', { 'Upload-Length': '10' });
    expect(noGroup.status).toBe(400);

    const tooLarge = await create(owner, MAX_UPLOAD + 1);
    expect(tooLarge.status).toBe(413);
    expect(errorBodySchema.parse(await tooLarge.json()).error.code).toBe(
      ErrorCode.PAYLOAD_TOO_LARGE,
    );

    const anonymous = await fetch(`${server.url}/api/uploads`, {
      method: 'POST',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Length': '10',
        origin: new URL(server.url).origin,
      },
    });
    expect(anonymous.status).toBe(401);

    // A state-changing request from another site never reaches the upload.
    const crossSite = await tus(owner, 'POST', '/api/uploads', {
      'Upload-Length': '10',
      origin: 'https://elsewhere.example',
    });
    expect(crossSite.status).toBe(403);
  });

  it('refuses a member removed from the group before the last byte', async () => {
    const removed = await newUser(server.url, 'gone');
    await owner.addMember(group.id, removed.userId);
    const file = seededRandom(43).bytes(20 * KB);
    const created = await create(removed, file.length);
    expect(created.status).toBe(201);
    const location = created.headers.get('location') ?? '';
    expect((await patch(removed, location, 0, file.subarray(0, 10 * KB))).status).toBe(204);
    await owner.removeMember(group.id, removed.userId);
    const last = await patch(removed, location, 10 * KB, file.subarray(10 * KB));
    expect(last.status).toBe(404);
    expect(errorBodySchema.parse(await last.json()).error.code).toBe(ErrorCode.NOT_FOUND);
  });

  it('reserves the quota for unfinished uploads and limits how many one user holds', async () => {
    const saver = await newUser(server.url, 'res');
    await owner.addMember(group.id, saver.userId);
    expect((await create(saver, MAX_UPLOAD)).status).toBe(201);
    expect((await create(saver, MAX_UPLOAD)).status).toBe(201);
    const over = await create(saver, 1);
    expect(over.status).toBe(413);
    expect(errorBodySchema.parse(await over.json()).error.code).toBe(ErrorCode.QUOTA_EXCEEDED);

    const hoarder = await newUser(server.url, 'hoard');
    await owner.addMember(group.id, hoarder.userId);
    // MAX_OPEN_UPLOADS: 20
    for (let i = 0; i < 20; i++) expect((await create(hoarder, 1)).status).toBe(201);
    const tooMany = await create(hoarder, 1);
    expect(tooMany.status).toBe(429);
    expect(errorBodySchema.parse(await tooMany.json()).error.code).toBe(ErrorCode.RATE_LIMITED);
  });

  it('lets only its creator end an upload, which frees its share of the quota', async () => {
    const user = await newUser(server.url, 'del');
    await owner.addMember(group.id, user.userId);
    const first = await create(user, MAX_UPLOAD);
    const location = first.headers.get('location') ?? '';
    expect((await create(user, MAX_UPLOAD)).status).toBe(201);
    expect((await create(user, 1)).status).toBe(413);

    expect((await tus(member, 'DELETE', location)).status).toBe(404);
    expect((await tus(user, 'DELETE', location)).status).toBe(204);
    expect((await tus(user, 'HEAD', location)).status).toBe(404);
    expect((await create(user, 1)).status).toBe(201);
  });
});
