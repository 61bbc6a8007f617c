// Deleting a message takes its file with it, against a real server and blob folder: once
// the deletion is stored, the file is no longer readable in the group, unless another live
// message of the same author still carries it; at the next sweep (here: a restart) its
// bytes leave the disk. Deletions go through the shared helper every client uses.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { appendMessage, blobResponseSchema, blobUrl, deleteMessage, makeId } from '@canopy/shared';
import type { BlobInfo, Group, MessageId, MessageRecord, UserId } from '@canopy/shared';
import { makePdf } from '../fixtures/sample-files.js';
import { groupWithMembers } from '../utils/fixtures.js';
import type { HttpClient } from '../utils/http-client.js';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { waitFor } from '../utils/wait-for.js';
import { connectProvider, waitSynced } from '../utils/ws-provider.js';

let server: TestServer;
let owner: HttpClient;
let member: HttpClient;
let group: Group;

beforeAll(async () => {
  server = await startTestServer({ scope: 'file' });
  const fixture = await groupWithMembers(server.url, 1, 'files');
  ({ owner, group } = fixture);
  member = fixture.members[0] as HttpClient;
});

async function upload(client: HttpClient, bytes: Uint8Array): Promise<BlobInfo> {
  const res = await fetch(`${server.url}/api/groups/${group.id}/blobs`, {
    method: 'POST',
    body: bytes,
    headers: {
      cookie: client.cookieHeader(),
      origin: new URL(server.url).origin,
      'content-type': 'application/pdf',
    },
  });
  expect(res.status).toBe(201);
  return blobResponseSchema.parse(await res.json()).blob;
}

function fileMessage(authorId: UserId, blob: BlobInfo): MessageRecord {
  return {
    id: makeId<MessageId>(),
    authorId,
    createdAt: Date.now(),
    kind: 'file',
    attachment: { sha256: blob.sha256, mime: blob.mime, size: blob.size, name: 'notes.pdf' },
  };
}

async function readable(client: HttpClient, blob: BlobInfo): Promise<boolean> {
  const res = await fetch(server.url + blobUrl(blob.sha256), {
    headers: { cookie: client.cookieHeader() },
  });
  await res.arrayBuffer();
  expect([200, 404]).toContain(res.status);
  return res.status === 200;
}

async function synced(client: HttpClient): Promise<WebsocketProvider> {
  const provider = connectProvider(client, group.id);
  await waitSynced(provider);
  return provider;
}

describe('files of deleted messages', () => {
  it('stop being readable once their last message is deleted, and leave the disk', async () => {
    const blob = await upload(owner, makePdf());
    const ownerDoc = (await synced(owner)).doc;
    const first = fileMessage(owner.userId, blob);
    const second = fileMessage(owner.userId, blob);
    appendMessage(ownerDoc, first);
    appendMessage(ownerDoc, second);
    const memberDoc = (await synced(member)).doc;
    await waitFor(() => memberDoc.getArray('messages').length === 2, {
      message: 'both messages to reach the member',
    });
    expect(await readable(member, blob)).toBe(true);

    // One of two messages carrying the file is deleted: the other still needs it.
    expect(deleteMessage(ownerDoc, first.id, owner.userId)).toBe(true);
    await waitFor(() => memberDoc.getArray('messages').length === 1, {
      message: 'the first deletion to reach the member',
    });
    await server.relay.flush();
    expect(await readable(member, blob)).toBe(true);

    // The last one: the file goes with it.
    expect(deleteMessage(ownerDoc, second.id, owner.userId)).toBe(true);
    await waitFor(async () => !(await readable(member, blob)), {
      message: 'the file to stop being readable',
    });
    expect(await readable(owner, blob)).toBe(false);

    // The sweep at start deletes the bytes nothing references any more.
    const file = path.join(server.dataDir, 'blobs', blob.sha256.slice(0, 2), blob.sha256.slice(2));
    expect(existsSync(file)).toBe(true);
    const { dataDir, port } = server;
    await server.close();
    server = await startTestServer({ dataDir, env: { PORT: String(port) }, scope: 'file' });
    await waitFor(() => !existsSync(file), { message: 'the sweep to delete the file' });
  });
});
