// Issue 2: honest stock WebsocketProvider clients converge through the relay (validation
// on): concurrent writers, a late joiner, and a client that edits offline and reconnects.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { groupWithMembers, messageIds, messageTexts, writeMessage } from '../utils/fixtures.js';
import type { GroupFixture } from '../utils/fixtures.js';
import { connectProvider, waitFor, waitSynced } from '../utils/ws-provider.js';
import { seededRandom, testSeed } from '../utils/seeded-random.js';
import type { WebsocketProvider } from 'y-websocket';
import type { UserId } from '@canopy/shared';

let server: TestServer;
let fx: GroupFixture;

beforeAll(async () => {
  server = await startTestServer();
  fx = await groupWithMembers(server.url, 2);
});

/** Writes `count` messages in random bursts, yielding to the event loop between bursts. */
async function sendMessages(
  provider: WebsocketProvider,
  authorId: UserId,
  label: string,
  count: number,
  seed: number,
): Promise<void> {
  const rnd = seededRandom(seed);
  for (let i = 0; i < count;) {
    const burst = rnd.int(1, 25);
    for (let j = 0; j < burst && i < count; j++, i++)
      writeMessage(provider.doc, authorId, `${label} ${i}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function assertAuthorOrder(texts: (string | undefined)[], label: string, count: number): void {
  const mine = texts.filter((t) => t?.startsWith(`${label} `));
  expect(mine).toEqual(Array.from({ length: count }, (_, i) => `${label} ${i}`));
}

describe('convergence (stock WebsocketProvider, validation on)', () => {
  it('two users sending 1,000 messages each at once converge to the same 2,000, same order', async () => {
    expect(server.server.config.relayValidation).toBe(true);
    const seed = testSeed();
    console.log(`convergence seed: ${seed} (CANOPY_TEST_SEED=${seed} replays it)`);
    const [alice, bob] = fx.members as [(typeof fx.members)[0], (typeof fx.members)[0]];
    const pa = connectProvider(alice, fx.group.id);
    const pb = connectProvider(bob, fx.group.id);
    await Promise.all([waitSynced(pa), waitSynced(pb)]);

    await Promise.all([
      sendMessages(pa, alice.userId, 'alice', 1000, seed),
      sendMessages(pb, bob.userId, 'bob', 1000, seed + 1),
    ]);
    await waitFor(() => messageIds(pa.doc).length === 2000 && messageIds(pb.doc).length === 2000, {
      timeout: 30_000,
      message: 'both clients to hold 2,000 messages',
    });
    const ids = messageIds(pa.doc);
    expect(messageIds(pb.doc)).toEqual(ids);
    expect(new Set(ids).size).toBe(2000);
    const texts = messageTexts(pa.doc);
    assertAuthorOrder(texts, 'alice', 1000);
    assertAuthorOrder(texts, 'bob', 1000);
    // Nobody was disconnected on the way (an honest client never trips a rule).
    expect(pa.wsconnected && pb.wsconnected).toBe(true);

    // A third, fresh client gets exactly the same history.
    const pc = connectProvider(fx.owner, fx.group.id);
    await waitSynced(pc);
    await waitFor(() => messageIds(pc.doc).length === 2000, {
      message: 'late joiner to hold 2,000 messages',
    });
    expect(messageIds(pc.doc)).toEqual(ids);
  });

  it('a client that edits offline merges on reconnect without loss or duplication', async () => {
    const [alice, bob] = fx.members as [(typeof fx.members)[0], (typeof fx.members)[0]];
    const group = await fx.owner.createGroup('offline', [alice.userId, bob.userId]);
    const pa = connectProvider(alice, group.id);
    const pb = connectProvider(bob, group.id);
    await Promise.all([waitSynced(pa), waitSynced(pb)]);
    for (let i = 0; i < 5; i++) writeMessage(pa.doc, alice.userId, `alice ${i}`);
    await waitFor(() => messageIds(pb.doc).length === 5, {
      message: 'bob to see the online messages',
    });

    let aliceCount = 5;
    for (let round = 0; round < 2; round++) {
      pa.disconnect();
      await waitFor(() => !pa.wsconnected && pa.ws === null, { message: 'alice offline' });
      const base = 5 + round * 30;
      for (let i = 0; i < 20; i++) writeMessage(pa.doc, alice.userId, `alice ${aliceCount++}`);
      for (let i = 0; i < 10; i++) writeMessage(pb.doc, bob.userId, `bob ${round * 10 + i}`);
      // Bob's messages cannot reach alice while she is offline; her edits stay local.
      await waitFor(() => messageIds(pb.doc).length === base + 10, {
        message: 'bob to hold his own messages',
      });
      expect(messageIds(pa.doc)).toHaveLength(base + 20);

      pa.connect();
      await waitSynced(pa);
      const total = base + 30;
      await waitFor(
        () => messageIds(pa.doc).length === total && messageIds(pb.doc).length === total,
        {
          message: `both to hold ${total} messages after reconnect`,
        },
      );
      const ids = messageIds(pa.doc);
      expect(messageIds(pb.doc)).toEqual(ids);
      expect(new Set(ids).size).toBe(total);
    }
    const texts = messageTexts(pb.doc);
    assertAuthorOrder(texts, 'alice', 45);
    assertAuthorOrder(texts, 'bob', 20);

    // What the server stored is the same: a fresh client reads the same list.
    const pc = connectProvider(fx.owner, group.id);
    await waitSynced(pc);
    await waitFor(() => messageIds(pc.doc).length === 65, {
      message: 'fresh client to hold 65 messages',
    });
    expect(messageIds(pc.doc)).toEqual(messageIds(pa.doc));
  });

  it('a long offline session (more than 512 KiB of new messages) merges on reconnect', async () => {
    // The stock provider uploads everything written offline as ONE sync-step-2 frame on
    // reconnect, so the relay's per-update cap must not refuse an honest catch-up.
    const [alice, bob] = fx.members as [(typeof fx.members)[0], (typeof fx.members)[0]];
    const group = await fx.owner.createGroup('long offline', [alice.userId, bob.userId]);
    const pa = connectProvider(alice, group.id);
    const pb = connectProvider(bob, group.id);
    await Promise.all([waitSynced(pa), waitSynced(pb)]);
    const closes: string[] = [];
    pa.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (event !== null) closes.push(`${event.code} ${event.reason}`);
    });
    pa.disconnect();
    await waitFor(() => pa.ws === null, { message: 'alice offline' });
    const count = 800;
    for (let i = 0; i < count; i++)
      writeMessage(pa.doc, alice.userId, `alice ${i} `.padEnd(900, '.'));
    pa.connect();
    await waitFor(() => messageIds(pb.doc).length === count || closes.length > 0, {
      timeout: 20_000,
      message: 'bob to receive the offline messages',
    });
    expect(closes).toEqual([]);
    expect(messageIds(pb.doc)).toEqual(messageIds(pa.doc));
  });
});
