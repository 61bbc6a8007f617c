// Seeded random convergence through the relay: several stock providers append, delete
// and mark while randomly dropping off and coming back; afterwards every client, a fresh
// joiner and the server's own document agree. Replay a failure with RELAY_TEST_SEED.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import type * as Y from 'yjs';
import { appendMessage, groupDoc, makeId } from '@canopy/shared';
import type { GroupId, MessageId } from '@canopy/shared';
import { createLogger } from '../log.js';
import {
  addGroup,
  addUser,
  connectClient,
  openTestDatabase,
  startRelayServer,
  tempDir,
  waitFor,
} from './testing/relay-harness.js';
import type { RelayServer, TestClient, TestUser } from './testing/relay-harness.js';

/** mulberry32: small, seedable, good enough for choosing operations */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('convergence through the relay', () => {
  let tmp: ReturnType<typeof tempDir>;
  let sqlite: Database;
  let server: RelayServer;
  let groupId: GroupId;
  let users: TestUser[];
  const clients: TestClient[] = [];

  beforeEach(async () => {
    tmp = tempDir();
    sqlite = openTestDatabase(`${tmp.dir}/db.sqlite`);
    users = ['ann', 'ben', 'cat'].map((name) => addUser(sqlite, name));
    groupId = addGroup(
      sqlite,
      users[0]!.userId,
      users.slice(1).map((u) => u.userId),
    );
    // small compaction interval so snapshots and logs interleave with the traffic
    server = await startRelayServer(sqlite, [], { compactEvery: 25 });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
    sqlite.close();
    tmp.remove();
  });

  it('converges after random edits, deletes and reconnects', async () => {
    const seed = Number(process.env.RELAY_TEST_SEED ?? Date.now() >>> 0);
    createLogger('info').info({ seed }, 'relay convergence seed');
    const random = prng(seed);
    for (const user of users) clients.push(connectClient(server.syncUrl, groupId, user));
    await waitFor(() => clients.every((c) => c.provider.synced), 'all synced');
    for (let step = 0; step < 300; step++) {
      const i = Math.floor(random() * clients.length);
      const client = clients[i]!;
      const user = users[i]!;
      const { messages, readMarkers } = groupDoc(client.doc);
      const roll = random();
      if (roll < 0.65) {
        appendMessage(client.doc, {
          id: makeId<MessageId>(),
          authorId: user.userId,
          createdAt: step,
          kind: 'text',
          text: `s${step}`,
        });
      } else if (roll < 0.75 && messages.length > 0) {
        messages.delete(Math.floor(random() * messages.length), 1);
      } else if (roll < 0.85 && messages.length > 0) {
        const last = messages.get(messages.length - 1);
        readMarkers.set(user.userId, { messageId: last.id, at: step });
      } else if (client.provider.wsconnected) {
        client.provider.disconnect();
      } else {
        client.provider.connect();
      }
      if (step % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    for (const c of clients) if (!c.provider.shouldConnect) c.provider.connect();
    // state vectors do not cover deletions: wait for the documents themselves to agree
    for (const c of clients) groupDoc(c.doc); // toJSON lists only the roots a doc defined
    // map keys come out in local insertion order: compare them sorted
    const canonical = (doc: Y.Doc): string =>
      JSON.stringify(
        Object.entries(doc.toJSON())
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => [k, Array.isArray(v) ? v : Object.entries(v as object).sort()]),
      );
    const docs = (): string[] => clients.map((c) => canonical(c.doc));
    await waitFor(
      () => clients.every((c) => c.provider.synced) && new Set(docs()).size === 1,
      `convergence (seed ${seed})`,
    );
    const json = clients.map((c) => JSON.stringify(groupDoc(c.doc).messages.toJSON()));
    expect(new Set(json).size, `seed ${seed}`).toBe(1);
    // the server's document and a fresh joiner agree with the clients
    const page = await server.relay.listMessages(groupId, { limit: 500 });
    expect(JSON.stringify(page.messages), `seed ${seed}`).toBe(json[0]);
    const late = connectClient(server.syncUrl, groupId, users[0]!);
    clients.push(late);
    await waitFor(() => late.provider.synced, 'late joiner synced');
    expect(JSON.stringify(groupDoc(late.doc).messages.toJSON()), `seed ${seed}`).toBe(json[0]);
  });
});
