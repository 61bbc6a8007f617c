// Convergence under random honest operations (seeded; the seed is printed): three stock
// providers (owner + two members) append, edit, delete and react to messages, move their
// markers, pin and moderate, and drop offline and back at random. Every operation is one
// the rules allow, so the relay must never close an honest socket, and all documents
// (and a fresh client's) must end up identical.
import { beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { groupDoc, reactionKey } from '@canopy/shared';
import type { MessageId, UserId } from '@canopy/shared';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { groupWithMembers, writeMessage } from '../utils/fixtures.js';
import type { GroupFixture } from '../utils/fixtures.js';
import { connectProvider, waitFor, waitSynced } from '../utils/ws-provider.js';
import { seededRandom, testSeed } from '../utils/seeded-random.js';
import type { SeededRandom } from '../utils/seeded-random.js';
import type { WebsocketProvider } from 'y-websocket';

const OPS_PER_USER = 300;
const EMOJI = ['👍', '🎉', '❤️'];

let server: TestServer;
let fx: GroupFixture;

beforeAll(async () => {
  server = await startTestServer();
  fx = await groupWithMembers(server.url, 2);
});

/** Everything in the document, in a comparable form. */
function snapshot(doc: Y.Doc): unknown {
  const d = groupDoc(doc);
  const sorted = <T>(m: Y.Map<T>): [string, T][] =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    messages: d.messages.toArray(),
    edits: sorted(d.edits),
    deletions: sorted(d.deletions),
    reactions: sorted(d.reactions),
    readMarkers: sorted(d.readMarkers),
    deliveredMarkers: sorted(d.deliveredMarkers),
    pins: sorted(d.pins),
  };
}

function randomOp(
  rnd: SeededRandom,
  p: WebsocketProvider,
  me: UserId,
  moderator: boolean,
  step: number,
): void {
  const d = groupDoc(p.doc);
  const all = d.messages.toArray();
  const mine = all.filter((m) => m.authorId === me);
  const anyMessage = (): MessageId | undefined => (all.length > 0 ? rnd.pick(all).id : undefined);
  const roll = rnd.next();
  const at = Date.now();
  if (roll < 0.35 || all.length === 0) {
    writeMessage(p.doc, me, `${me.slice(0, 4)} ${step}`);
  } else if (roll < 0.45 && mine.length > 0) {
    const target = rnd.pick(mine);
    d.edits.set(target.id, { text: `edited ${step}`, by: me, at });
  } else if (roll < 0.53 && mine.length > 0) {
    const target = rnd.pick(mine);
    p.doc.transact(() => {
      d.messages.delete(
        d.messages.toArray().findIndex((m) => m.id === target.id),
        1,
      );
      d.deletions.set(target.id, { by: me, at });
    });
  } else if (roll < 0.68) {
    d.reactions.set(reactionKey(anyMessage()!, me, rnd.pick(EMOJI)), { at });
  } else if (roll < 0.73) {
    const own = [...d.reactions.keys()].filter((k) => k.includes(`/${me}/`));
    if (own.length > 0) d.reactions.delete(rnd.pick(own));
  } else if (roll < 0.83) {
    d.readMarkers.set(me, { messageId: anyMessage()!, at });
  } else if (roll < 0.88) {
    d.deliveredMarkers.set(me, { messageId: anyMessage()!, at });
  } else if (roll < 0.93 && moderator) {
    d.pins.set(anyMessage()!, { by: me, at });
  } else if (roll < 0.97 && moderator) {
    const target = rnd.pick(all);
    p.doc.transact(() => {
      d.messages.delete(
        d.messages.toArray().findIndex((m) => m.id === target.id),
        1,
      );
      d.deletions.set(target.id, { by: me, at });
    });
  } else if (p.shouldConnect) {
    p.disconnect();
  } else {
    p.connect();
  }
}

describe('random honest operations (seeded)', () => {
  it('converge on every client and never trip a rule', async () => {
    const seed = testSeed();
    console.log(`random-ops seed: ${seed} (CANOPY_TEST_SEED=${seed} replays it)`);
    const users = [fx.owner, ...fx.members];
    const providers = users.map((u) => connectProvider(u, fx.group.id));
    const serverCloses: { user: number; code: number; reason: string }[] = [];
    providers.forEach((p, i) =>
      p.on('connection-close', (event: { code: number; reason: string } | null) => {
        if (event !== null) serverCloses.push({ user: i, code: event.code, reason: event.reason });
      }),
    );
    await Promise.all(providers.map((p) => waitSynced(p)));

    await Promise.all(
      providers.map(async (p, i) => {
        const rnd = seededRandom(seed + i);
        for (let step = 0; step < OPS_PER_USER; step++) {
          randomOp(rnd, p, users[i]!.userId, i === 0, step);
          if (rnd.bool(0.3)) await new Promise((resolve) => setImmediate(resolve));
        }
      }),
    );
    for (const p of providers) if (!p.shouldConnect) p.connect();
    await Promise.all(providers.map((p) => waitSynced(p)));
    const json = (p: WebsocketProvider): string => JSON.stringify(snapshot(p.doc));
    await waitFor(() => providers.every((p) => json(p) === json(providers[0]!)), {
      timeout: 20_000,
      message: 'all three documents to converge',
    });
    expect(serverCloses).toEqual([]);

    const fresh = connectProvider(fx.owner, fx.group.id);
    await waitSynced(fresh);
    await waitFor(() => json(fresh) === json(providers[0]!), {
      message: 'a fresh client to match',
    });
    const d = groupDoc(providers[0]!.doc);
    console.log(
      `random-ops: ${d.messages.length} messages, ${d.deletions.size} tombstones, ${d.edits.size} edits, ${d.reactions.size} reactions, ${d.pins.size} pins`,
    );
    expect(d.messages.length).toBeGreaterThan(0);
  });
});
