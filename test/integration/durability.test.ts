// Issue 2: what was acknowledged as stored survives `kill -9`. The real built server runs
// as a child process; messages are acknowledged by the ACK extension (`?ack=1`) or by the
// message API's 201; right after that the process is SIGKILLed and restarted on the same
// data dir and port. Every acknowledged message must be there, and clients that were
// connected (stock providers) reconnect and converge.
import { beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@canopy/shared';
import * as Y from 'yjs';
import { makeDataDir, serverBuildIsStale, spawnServer } from '../utils/start-server.js';
import type { SpawnedServer } from '../utils/start-server.js';
import { groupWithMembers, messageIds, writeMessage } from '../utils/fixtures.js';
import type { GroupFixture } from '../utils/fixtures.js';
import { RawClient } from '../utils/raw-client.js';
import { connectProvider, waitFor, waitSynced } from '../utils/ws-provider.js';

let dataDir: string;
let server: SpawnedServer;
let fx: GroupFixture;

beforeAll(async () => {
  const stale = serverBuildIsStale();
  if (stale) console.warn(`durability test: ${stale}`);
  dataDir = makeDataDir();
  server = await spawnServer({ dataDir });
  fx = await groupWithMembers(server.url, 2);
});

async function restartHard(): Promise<void> {
  const port = server.port;
  await server.kill('SIGKILL');
  const { signal } = await server.exited;
  expect(signal).toBe('SIGKILL');
  // Same port, so connected providers find the server again by themselves.
  server = await spawnServer({ dataDir, env: { PORT: String(port) }, scope: 'file' });
  expect(server.port).toBe(port);
}

describe('kill -9 durability (spawned dist/main.js)', () => {
  it('keeps every acknowledged message across kill -9, and clients reconnect and converge', async () => {
    const [alice, bob] = fx.members as [
      NonNullable<(typeof fx.members)[0]>,
      NonNullable<(typeof fx.members)[0]>,
    ];
    // A stock provider that stays connected through the crash.
    const watcher = connectProvider(bob, fx.group.id);
    await waitSynced(watcher);

    // 300 messages over the wire, acknowledged by ACK frames.
    const writer = await RawClient.connect(alice, fx.group.id, { ack: true });
    await writer.sync();
    const wireIds: string[] = [];
    for (let i = 0; i < 300; i++) {
      const update = writer.craft((doc) =>
        wireIds.push(writeMessage(doc, alice.userId, `wire ${i}`).id),
      );
      void writer.sendUpdate(update);
    }
    await writer.waitAcked(Y.decodeStateVector(Y.encodeStateVector(writer.doc)), 15_000);

    // 20 messages through the HTTP API, each answered 201.
    const apiIds: string[] = [];
    for (let i = 0; i < 20; i++)
      apiIds.push((await fx.owner.postMessage(fx.group.id, `api ${i}`)).id);

    await restartHard();
    expect(writer.closeInfo ?? (await writer.waitClosed(5_000))).toBeTruthy();

    // A fresh client sees every acknowledged message.
    const fresh = await RawClient.connect(fx.owner, fx.group.id);
    await fresh.sync();
    const stored = new Set(messageIds(fresh.doc));
    expect(wireIds.filter((id) => !stored.has(id))).toEqual([]);
    expect(apiIds.filter((id) => !stored.has(id))).toEqual([]);
    expect(stored.size).toBe(320);
    const listed = await fx.owner.listMessages(fx.group.id, '?limit=20');
    expect(listed.messages.map((m) => m.id)).toEqual(apiIds);

    // The stock provider reconnects by itself and converges on the same list.
    await waitFor(() => watcher.synced && messageIds(watcher.doc).length === 320, {
      timeout: 20_000,
      message: 'the watcher to reconnect and hold 320 messages',
    });
    expect(messageIds(watcher.doc)).toEqual(messageIds(fresh.doc));

    // It keeps working after the crash: a new message reaches everyone.
    writeMessage(watcher.doc, bob.userId, 'after the crash');
    await fresh.until(
      () => messageIds(fresh.doc).length === 321,
      5_000,
      'fresh client to see the new message',
    );
  });

  it('a client whose unacknowledged edits were lost in the crash re-sends them on reconnect', async () => {
    const [alice] = fx.members as [NonNullable<(typeof fx.members)[0]>];
    const group = await fx.owner.createGroup('crash-2', [alice.userId]);
    const provider = connectProvider(alice, group.id);
    await waitSynced(provider);
    for (let i = 0; i < 50; i++) writeMessage(provider.doc, alice.userId, `maybe ${i}`);
    // Kill without waiting for any acknowledgement: whatever the server lost, the client
    // still has, and the sync handshake after reconnect must bring it back.
    await restartHard();
    await waitFor(
      async () => {
        const again = await RawClient.connect(fx.owner, group.id);
        await again.sync();
        const n = messageIds(again.doc).length;
        again.terminate();
        return n === 50;
      },
      { timeout: 20_000, interval: 200, message: 'the server to hold all 50 messages again' },
    );
    expect(messageIds(provider.doc)).toHaveLength(50);
  });

  it('SIGTERM closes sockets with GOING_AWAY, flushes, exits 0; the client re-syncs after restart', async () => {
    const [alice] = fx.members as [NonNullable<(typeof fx.members)[0]>];
    const group = await fx.owner.createGroup('sigterm', [alice.userId]);
    const provider = connectProvider(alice, group.id);
    await waitSynced(provider);
    const closeCodes: number[] = [];
    provider.on('connection-close', (event: { code: number } | null) => {
      if (event !== null) closeCodes.push(event.code);
    });
    for (let i = 0; i < 200; i++) writeMessage(provider.doc, alice.userId, `graceful ${i}`);
    const port = server.port;
    await server.kill('SIGTERM');
    const exit = await server.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    await waitFor(() => closeCodes.length > 0, { message: 'the provider to see the close' });
    expect(closeCodes[0]).toBe(CloseCode.GOING_AWAY);

    server = await spawnServer({ dataDir, env: { PORT: String(port) }, scope: 'file' });
    await waitFor(
      async () => {
        const reader = await RawClient.connect(fx.owner, group.id);
        await reader.sync();
        const n = messageIds(reader.doc).length;
        reader.terminate();
        return n === 200;
      },
      { timeout: 20_000, interval: 200, message: 'the server to hold all 200 messages' },
    );
  });
});
