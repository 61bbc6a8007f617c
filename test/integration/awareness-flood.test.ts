// Issue 3, awareness under a flood of presence ids. The relay remembers which user
// introduced each presence id, for a bounded number of ids per room; and the stock
// y-websocket client re-broadcasts every awareness change it receives. Neither may let
// one member take over another's presence, or get the honest members disconnected.
// Each test gets its own server: a flood leaves the room's presence state behind.
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../utils/start-server.js';
import { groupWithMembers } from '../utils/fixtures.js';
import type { HttpClient } from '../utils/fixtures.js';
import { RawClient, encodeAwareness } from '../utils/raw-client.js';
import { connectProvider, waitFor, waitSynced } from '../utils/ws-provider.js';
import type { WebsocketProvider } from 'y-websocket';

interface Presence {
  user?: { id?: string; name?: string };
  typing?: boolean;
}

interface Scene {
  alice: HttpClient;
  bob: HttpClient;
  aliceP: WebsocketProvider;
  carolP: WebsocketProvider;
  /** close codes the server sent to alice's and carol's stock providers */
  honestCloses: number[];
  raw: RawClient;
  bobId: number;
  clock: { n: number };
}

const seen = (p: WebsocketProvider, id: number): Presence | undefined =>
  p.awareness.getStates().get(id);

async function scene(): Promise<Scene> {
  const server = await startTestServer();
  const fx = await groupWithMembers(server.url, 3);
  const [alice, bob, carol] = fx.members as [HttpClient, HttpClient, HttpClient];
  const aliceP = connectProvider(alice, fx.group.id);
  const carolP = connectProvider(carol, fx.group.id);
  const honestCloses: number[] = [];
  for (const p of [aliceP, carolP]) {
    p.on('connection-close', (event: { code: number } | null) => {
      if (event !== null) honestCloses.push(event.code);
    });
  }
  await Promise.all([waitSynced(aliceP), waitSynced(carolP)]);
  aliceP.awareness.setLocalState({ user: { id: alice.userId, name: 'alice' }, typing: false });
  await waitFor(() => seen(carolP, aliceP.awareness.clientID)?.user?.name === 'alice', {
    message: 'alice present',
  });
  const raw = await RawClient.connect(bob, fx.group.id);
  await raw.sync();
  const s: Scene = {
    alice,
    bob,
    aliceP,
    carolP,
    honestCloses,
    raw,
    bobId: raw.doc.clientID,
    clock: { n: 0 },
  };
  await barrier(s, 'bob');
  return s;
}

/** Bob's own presence change; once carol sees it, everything bob sent before was handled. */
async function barrier(s: Scene, name: string): Promise<void> {
  s.clock.n += 1;
  await s.raw.sendAwareness(
    encodeAwareness([
      { clientId: s.bobId, clock: s.clock.n, state: { user: { id: s.bob.userId, name } } },
    ]),
  );
  await waitFor(() => seen(s.carolP, s.bobId)?.user?.name === name, {
    message: `carol to see "${name}"`,
  });
}

async function floodIds(s: Scene, count: number, perFrame: number): Promise<void> {
  const aliceId = s.aliceP.awareness.clientID;
  for (let start = 0; start < count; start += perFrame) {
    const entries = [];
    for (let i = start; i < Math.min(count, start + perFrame); i++) {
      const clientId = 1_000_000 + i;
      if (clientId !== aliceId) entries.push({ clientId, clock: 1, state: { typing: false } });
    }
    await s.raw.sendAwareness(encodeAwareness(entries));
  }
}

describe('awareness floods', () => {
  // Regression: 12,000 fresh presence ids evicted alice's id from the room's bounded owner
  // map, after which anyone could overwrite her presence.
  it("cannot take over a member's presence by flooding the room with fresh presence ids", async () => {
    const s = await scene();
    const aliceId = s.aliceP.awareness.clientID;
    const aliceClock = s.aliceP.awareness.meta.get(aliceId)!.clock;
    // 12,000 fresh ids: more than the relay remembers presence owners for (10,000).
    await floodIds(s, 12_000, 4000);
    await barrier(s, 'after the flood');
    // Overwrite alice's entry with a state that names no user id, then remove it.
    await s.raw.sendAwareness(
      encodeAwareness([
        {
          clientId: aliceId,
          clock: aliceClock + 20,
          state: { user: { name: 'alice' }, typing: true },
        },
      ]),
    );
    await s.raw.sendAwareness(
      encodeAwareness([{ clientId: aliceId, clock: aliceClock + 21, state: null }]),
    );
    await barrier(s, 'after the takeover');
    expect(seen(s.carolP, aliceId)).toEqual({
      user: { id: s.alice.userId, name: 'alice' },
      typing: false,
    });
  });

  // Regression: the removal of 5,000 ids went out as one update, the stock providers echoed
  // it in one frame over the entry cap, and the relay closed them with BAD_FRAME (which the
  // stock client treats as permanent).
  it('does not disconnect honest members when a member with many presence ids leaves', async () => {
    const s = await scene();
    // 5,000 ids in frames the relay accepts (at most 4,096 entries each)...
    await floodIds(s, 5_000, 2500);
    await barrier(s, 'after the flood');
    expect(s.honestCloses).toEqual([]);
    // ...then bob leaves: the relay removes all of them in one awareness update, and the
    // stock providers re-broadcast that removal as they received it.
    s.raw.close();
    await waitFor(() => seen(s.carolP, s.bobId) === undefined, { message: "bob's presence to go" });
    // Give the echo a chance to come back from the server: alice changes her state and
    // carol must see it, over connections that are still the same.
    s.aliceP.awareness.setLocalStateField('typing', true);
    await waitFor(
      () =>
        seen(s.carolP, s.aliceP.awareness.clientID)?.typing === true || s.honestCloses.length > 0,
      {
        message: 'carol to see alice typing (or a disconnect)',
      },
    );
    expect(s.honestCloses).toEqual([]);
    expect(s.aliceP.wsconnected && s.carolP.wsconnected).toBe(true);
  });
});
