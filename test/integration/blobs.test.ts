// Blobs over real HTTP against a real server and blob folder: upload and fetch with the
// security headers, who may read (members, avatars for everyone signed in, others 404),
// dedupe, type checks by magic bytes, size/pixel/quota limits, and uploads that fail or
// are cut off mid-body leave no temp file behind and do not disturb the server.
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  blobResponseSchema,
  blobUrl,
  errorBodySchema,
  serverConfigResponseSchema,
  userResponseSchema,
} from '@canopy/shared';
import type { BlobInfo, Group } from '@canopy/shared';
import {
  makeHtml,
  makePdf,
  makePng,
  makePngBomb,
  makeScriptedSvg,
} from '../fixtures/sample-files.js';
import { groupWithMembers } from '../utils/fixtures.js';
import { newUser } from '../utils/http-client.js';
import type { HttpClient } from '../utils/http-client.js';
import { seededRandom } from '../utils/seeded-random.js';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { waitFor, withTimeout } from '../utils/wait-for.js';

const KB = 1024;
const MAX_UPLOAD = 256 * KB;
const QUOTA = 600 * KB;
const BLOB_CSP = "default-src 'none'; sandbox";

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

interface RawResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

async function send(
  client: HttpClient | null,
  method: string,
  urlPath: string,
  init: { body?: Uint8Array | ReadableStream<Uint8Array>; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...init.headers };
  if (client && client.cookieHeader() !== '') headers.cookie = client.cookieHeader();
  if (method !== 'GET' && method !== 'HEAD') headers.origin ??= new URL(server.url).origin;
  const options: RequestInit & { duplex?: 'half' } = { method, headers };
  if (init.body !== undefined) options.body = init.body;
  if (init.body instanceof ReadableStream) options.duplex = 'half';
  const res = await fetch(server.url + urlPath, options);
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const json = (r: RawResponse): unknown => JSON.parse(r.bytes.toString('utf8'));
const errorOf = (r: RawResponse) => errorBodySchema.parse(json(r)).error;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function upload(client: HttpClient, bytes: Uint8Array, type: string, groupId = group.id) {
  return send(client, 'POST', `/api/groups/${groupId}/blobs`, {
    body: bytes,
    headers: { 'content-type': type, 'x-file-name': encodeURIComponent('photo ü.png') },
  });
}

async function uploadOk(client: HttpClient, bytes: Uint8Array, type: string): Promise<BlobInfo> {
  const r = await upload(client, bytes, type);
  if (r.status !== 201 && r.status !== 200)
    throw new Error(`upload: ${r.status} ${r.bytes.toString('utf8')}`);
  return blobResponseSchema.parse(json(r)).blob;
}

/** Stored blob files (fan-out folders only) and leftover temp files. */
function blobFiles(): { stored: string[]; temp: string[] } {
  const root = path.join(server.dataDir, 'blobs');
  const stored: string[] = [];
  for (const dir of readdirSync(root)) {
    if (dir === 'tmp') continue;
    for (const f of readdirSync(path.join(root, dir))) stored.push(dir + f);
  }
  return { stored, temp: readdirSync(path.join(root, 'tmp')) };
}

describe('blobs', () => {
  it('stores an upload by its hash and serves it to members with safe headers', async () => {
    const png = makePng(4, 3, 1);
    const r = await upload(owner, png, 'image/png');
    expect(r.status).toBe(201);
    const blob = blobResponseSchema.parse(json(r)).blob;
    expect(blob).toEqual({
      sha256: sha256(png),
      mime: 'image/png',
      size: png.length,
      width: 4,
      height: 3,
    });

    const got = await send(member, 'GET', blobUrl(blob.sha256));
    expect(got.status).toBe(200);
    expect(got.bytes.equals(Buffer.from(png))).toBe(true);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-security-policy')).toBe(BLOB_CSP);
    expect(got.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(got.headers.get('etag')).toBe(`"${blob.sha256}"`);
    expect(got.headers.get('content-length')).toBe(String(png.length));
    expect(got.headers.get('content-disposition')).toMatch(/^inline; filename\*=UTF-8''/);

    const head = await send(member, 'HEAD', blobUrl(blob.sha256));
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(png.length));
    expect(head.bytes.length).toBe(0);

    const cached = await send(member, 'GET', blobUrl(blob.sha256), {
      headers: { 'if-none-match': `"${blob.sha256}"` },
    });
    expect(cached.status).toBe(304);
    expect(cached.bytes.length).toBe(0);

    const part = await send(member, 'GET', blobUrl(blob.sha256), {
      headers: { range: 'bytes=0-9' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-9/${png.length}`);
    expect(part.bytes.equals(Buffer.from(png.subarray(0, 10)))).toBe(true);

    const named = await send(
      member,
      'GET',
      `${blobUrl(blob.sha256)}?name=${encodeURIComponent('über.png')}`,
    );
    expect(named.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''%C3%BCber.png");
  });

  it('hides blobs from non-members (404) and needs a session (401)', async () => {
    const blob = await uploadOk(owner, makePng(2, 2, 2), 'image/png');
    expect((await send(outsider, 'GET', blobUrl(blob.sha256))).status).toBe(404);
    const anonymous = await send(null, 'GET', blobUrl(blob.sha256));
    expect(anonymous.status).toBe(401);
    expect(errorOf(anonymous).code).toBe(ErrorCode.UNAUTHENTICATED);
    // an unknown hash looks exactly like a hidden one
    expect((await send(outsider, 'GET', blobUrl('0'.repeat(64)))).status).toBe(404);
    expect((await send(member, 'GET', '/api/blobs/not-a-hash')).status).toBe(404);
    // outsiders cannot upload into the group, and nobody can without a session
    expect((await upload(outsider, makePng(2, 2, 3), 'image/png')).status).toBe(404);
    const noSession = await send(null, 'POST', `/api/groups/${group.id}/blobs`, {
      body: makePng(2, 2, 3),
    });
    expect(noSession.status).toBe(401);
    // the Origin check applies to uploads like every state-changing request
    const foreign = await send(owner, 'POST', `/api/groups/${group.id}/blobs`, {
      body: makePng(2, 2, 3),
      headers: { origin: 'https://evil.example', 'content-type': 'image/png' },
    });
    expect(foreign.status).toBe(403);
    expect(errorOf(foreign).code).toBe(ErrorCode.BAD_ORIGIN);
  });

  it('dedupes: the same bytes again give the same hash, 200, and one file on disk', async () => {
    const png = makePng(5, 5, 4);
    const first = await upload(owner, png, 'image/png');
    const again = await upload(member, png, 'image/png');
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    const sha = sha256(png);
    expect(blobResponseSchema.parse(json(again)).blob.sha256).toBe(sha);
    expect(blobFiles().stored.filter((f) => f === sha)).toHaveLength(1);
    expect(server.query('SELECT sha256 FROM blobs WHERE sha256 = ?', sha)).toHaveLength(1);
    expect(server.query('SELECT user_id FROM blob_refs WHERE sha256 = ?', sha)).toHaveLength(2);

    // A damaged copy on disk is never served, and the next upload of the bytes repairs it.
    const stored = path.join(server.dataDir, 'blobs', sha.slice(0, 2), sha.slice(2));
    writeFileSync(stored, png.subarray(0, 10));
    expect((await send(member, 'GET', blobUrl(sha))).status).toBe(404);
    expect((await upload(member, png, 'image/png')).status).toBe(200);
    const repaired = await send(member, 'GET', blobUrl(sha));
    expect(repaired.bytes.equals(Buffer.from(png))).toBe(true);
  });

  it('refuses bytes that are not the claimed image type (415), keeps other types as files', async () => {
    const pdf = makePdf();
    const lie = await upload(owner, pdf, 'image/png');
    expect(lie.status).toBe(415);
    expect(errorOf(lie).code).toBe(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    expect(blobFiles().stored).not.toContain(sha256(pdf));

    const blob = await uploadOk(owner, pdf, 'application/pdf');
    expect(blob.mime).toBe('application/pdf');
    const got = await send(member, 'GET', blobUrl(blob.sha256));
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename\*=UTF-8''/);
  });

  it('serves SVG and HTML only as attachments under a sandbox CSP, never inline', async () => {
    const svg = await uploadOk(owner, makeScriptedSvg(), 'image/svg+xml');
    expect(svg).toMatchObject({ mime: 'image/svg+xml', width: null, height: null });
    const got = await send(member, 'GET', blobUrl(svg.sha256));
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/svg+xml');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(got.headers.get('content-security-policy')).toBe(BLOB_CSP);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');

    // HTML claimed as a harmless type is still recognised and never served as a page
    const html = await uploadOk(owner, makeHtml(), 'text/plain');
    expect(html.mime).toBe('text/html');
    const page = await send(member, 'GET', blobUrl(html.sha256));
    expect(page.headers.get('content-type')).toBe('application/octet-stream');
    expect(page.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(page.headers.get('content-security-policy')).toBe(BLOB_CSP);
  });

  it('refuses an image whose header declares too many pixels (413)', async () => {
    const r = await upload(owner, makePngBomb(60_000, 60_000), 'image/png');
    expect(r.status).toBe(413);
    const error = errorOf(r);
    expect(error.code).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    expect(error.message).toMatch(/pixels/);
    expect(blobFiles().temp).toEqual([]);
  });

  it('refuses files over MAX_UPLOAD_BYTES, declared or streamed, leaving no file behind', async () => {
    const before = blobFiles().stored.length;
    const big = seededRandom(11).bytes(MAX_UPLOAD + 1);
    const declared = await upload(owner, big, 'application/octet-stream');
    expect(declared.status).toBe(413);
    expect(errorOf(declared).code).toBe(ErrorCode.PAYLOAD_TOO_LARGE);

    // No Content-Length: the server must count while it streams.
    const chunks = seededRandom(12).bytes(MAX_UPLOAD + 100 * KB);
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= chunks.length) return controller.close();
        controller.enqueue(chunks.subarray(offset, offset + 16 * KB));
        offset += 16 * KB;
      },
    });
    const streamed = await send(owner, 'POST', `/api/groups/${group.id}/blobs`, { body });
    expect(streamed.status).toBe(413);
    expect(errorOf(streamed).code).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    const after = blobFiles();
    expect(after.temp).toEqual([]);
    expect(after.stored).toHaveLength(before);
  });

  // Regression: after a streamed upload was refused mid-body, the server stopped reading the
  // rest and closed the keep-alive connection half a second later, under the next request.
  it('drains the rest of a refused upload and keeps the connection usable', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const url = new URL(`/api/groups/${group.id}/blobs`, server.url);
      const req = httpRequest(url, {
        method: 'POST',
        agent,
        headers: { cookie: owner.cookieHeader(), origin: url.origin }, // chunked: no length
      });
      const failed = new Promise<never>((_, reject) => req.on('error', reject));
      const response = new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
      const chunk = Buffer.alloc(64 * KB, 7);
      for (let sent = 0; sent <= MAX_UPLOAD; sent += chunk.length) req.write(chunk);
      const refused = await withTimeout(Promise.race([response, failed]), 5_000, 'the 413');
      expect(refused.statusCode).toBe(413);
      refused.resume();
      // The client keeps sending what it had; the server must read it, not stall on it.
      for (let i = 0; i < 64; i++) req.write(chunk);
      const finished = new Promise<void>((resolve) => req.end(resolve));
      await withTimeout(Promise.race([finished, failed]), 5_000, 'the body to be drained');
      const next: ClientRequest = httpRequest(new URL('/api/config', server.url), { agent });
      const answer = new Promise<IncomingMessage>((resolve, reject) => {
        next.on('response', resolve).on('error', reject);
      });
      next.end();
      const second = await withTimeout(answer, 5_000, 'the next request');
      second.resume();
      expect(second.statusCode).toBe(200);
      expect(next.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
    expect(blobFiles().temp).toEqual([]);
  });

  it('counts distinct uploads against the per-user quota (413 quota_exceeded)', async () => {
    const user = await newUser(server.url, 'quota');
    await owner.addMember(group.id, user.userId);
    const random = seededRandom(21);
    const files = [random.bytes(250 * KB), random.bytes(250 * KB), random.bytes(250 * KB)];
    expect((await upload(user, files[0]!, 'application/octet-stream')).status).toBe(201);
    expect((await upload(user, files[1]!, 'application/octet-stream')).status).toBe(201);
    const over = await upload(user, files[2]!, 'application/octet-stream');
    expect(over.status).toBe(413);
    expect(errorOf(over).code).toBe(ErrorCode.QUOTA_EXCEEDED);
    expect(errorOf(over).message).toMatch(/quota/);
    // bytes the user already stored cost nothing again
    expect((await upload(user, files[0]!, 'application/octet-stream')).status).toBe(200);
    expect(blobFiles().temp).toEqual([]);
  });

  it('avatars: raster images only, readable by every signed-in user, removable', async () => {
    const png = makePng(8, 8, 5);
    const put = await send(member, 'PUT', '/api/me/avatar', {
      body: png,
      headers: { 'content-type': 'image/png' },
    });
    expect(put.status).toBe(200);
    const user = userResponseSchema.parse(json(put)).user;
    expect(user.avatar).toBe(sha256(png));
    // no shared group, still visible: avatars are public to signed-in users
    expect((await send(outsider, 'GET', blobUrl(sha256(png)))).status).toBe(200);
    expect((await send(null, 'GET', blobUrl(sha256(png)))).status).toBe(401);

    const svg = await send(member, 'PUT', '/api/me/avatar', {
      body: makeScriptedSvg(),
      headers: { 'content-type': 'image/svg+xml' },
    });
    expect(svg.status).toBe(415);

    // a hash alone cannot turn someone's private group file into a public avatar
    const secret = await uploadOk(owner, makePng(3, 3, 6), 'image/png');
    const hijack = await member.patch('/api/me', { avatar: secret.sha256 });
    expect(hijack.status).toBe(422);
    expect((await send(outsider, 'GET', blobUrl(secret.sha256))).status).toBe(404);

    const removed = await send(member, 'DELETE', '/api/me/avatar');
    expect(removed.status).toBe(200);
    expect(userResponseSchema.parse(json(removed)).user.avatar).toBeNull();
    expect((await send(outsider, 'GET', blobUrl(sha256(png)))).status).toBe(404);
  });

  it('survives a client that disconnects mid-upload and removes its temp file', async () => {
    const url = new URL(`/api/groups/${group.id}/blobs`, server.url);
    const req = httpRequest(url, {
      method: 'POST',
      headers: {
        cookie: owner.cookieHeader(),
        origin: url.origin,
        'content-type': 'application/octet-stream',
        'content-length': String(200 * KB),
      },
    });
    const closed = new Promise<void>((resolve) => req.on('close', resolve));
    req.on('error', () => {
      // expected: the socket is destroyed on purpose
    });
    req.write(seededRandom(31).bytes(64 * KB));
    await waitFor(() => blobFiles().temp.length > 0, { message: 'the temp file to appear' });
    req.destroy();
    await closed;
    await waitFor(() => blobFiles().temp.length === 0, { message: 'the temp file to go' });

    const config = await send(null, 'GET', '/api/config');
    expect(config.status).toBe(200);
    expect(serverConfigResponseSchema.parse(json(config))).toEqual({
      uploads: { maxUploadBytes: MAX_UPLOAD, maxImagePixels: 50_000_000, quotaBytes: QUOTA },
      avatars: { imagePolicy: null },
      assistant: { available: false },
      signup: { policy: 'open' },
      email: { available: false, passwordReset: false, invites: false },
      linkPreviews: { available: true },
    });
    expect((await upload(owner, makePng(2, 2, 7), 'image/png')).status).toBe(201);
  });
});
