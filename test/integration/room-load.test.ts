// Issue 2: never serve an empty or partial document while a room loads. The reference
// y-websocket server told a rejoining client "synced" with 0 of 10,000 messages; here a
// stock provider must hold every stored message at the moment it reports synced, both
// when the room was unloaded after idling and after a restart (cold load from disk).
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendMessage } from '@canopy/shared';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { groupWithMembers, messageIds, textMessage } from '../utils/fixtures.js';
import type { GroupFixture } from '../utils/fixtures.js';
import { RawClient } from '../utils/raw-client.js';
import { connectProvider, waitFor, withTimeout } from '../utils/ws-provider.js';

const MESSAGES = 5_000;
const RELAY = { idleUnloadMs: 100 };

let server: TestServer;
let fx: GroupFixture;

beforeAll(async () => {
  server = await startTestServer({ relay: RELAY });
  fx = await groupWithMembers(server.url, 1);
  // Fill the group in a few large (but legal) updates, acknowledged as stored.
  const writer = await RawClient.connect(fx.owner, fx.group.id, { ack: true });
  await writer.sync();
  for (let batch = 0; batch < MESSAGES / 500; batch++) {
    const update = writer.craft((doc) => {
      for (let i = 0; i < 500; i++)
        appendMessage(doc, textMessage(fx.owner.userId, `m ${batch * 500 + i}`));
    });
    await writer.sendUpdate(update);
  }
  await writer.waitAcked(Y.decodeStateVector(Y.encodeStateVector(writer.doc)), 20_000);
  writer.close();
});

/** Connects a stock provider and returns how many messages it held when it first said synced. */
async function countAtSynced(): Promise<number> {
  const provider = connectProvider(fx.members[0]!, fx.group.id);
  return withTimeout(
    new Promise<number>((resolve) => {
      provider.on('sync', (synced: boolean) => {
        if (synced) resolve(messageIds(provider.doc).length);
      });
    }),
    15_000,
    'provider to sync',
  );
}

describe('room loading', () => {
  it('serves the whole document to a client joining a room that was unloaded', async () => {
    await waitFor(() => server.relay.stats().openRooms === 0, { message: 'the room to unload' });
    expect(await countAtSynced()).toBe(MESSAGES);
  });

  it('serves the whole document after a restart (cold load from disk)', async () => {
    const { dataDir, port } = server;
    await server.close();
    // Same port: the HTTP clients (and their cookies) keep working.
    server = await startTestServer({
      dataDir,
      relay: RELAY,
      env: { PORT: String(port) },
      scope: 'file',
    });
    const started = Date.now();
    expect(await countAtSynced()).toBe(MESSAGES);
    console.log(`cold join of ${MESSAGES} messages after restart: ${Date.now() - started} ms`);
  });
});
