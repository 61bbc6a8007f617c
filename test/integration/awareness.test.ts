// Issue 3: awareness (presence, typing) is bound to the authenticated user. A raw client
// cannot remove another member's presence, overwrite it, or publish a state claiming to be
// someone else: such entries are dropped, the others keep seeing the victim's own state,
// and honest stock providers (which re-broadcast everything they receive) are never
// disconnected for it.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { groupWithMembers } from '../utils/fixtures.js';
import type { GroupFixture, HttpClient } from '../utils/fixtures.js';
import { RawClient, encodeAwareness } from '../utils/raw-client.js';
import { connectProvider, waitFor, waitSynced } from '../utils/ws-provider.js';
import type { WebsocketProvider } from 'y-websocket';

let server: TestServer;
let fx: GroupFixture;
let alice: HttpClient;
let bob: HttpClient;
let carol: HttpClient;
let aliceP: WebsocketProvider;
let carolP: WebsocketProvider;
const serverCloses: number[] = [];

interface Presence {
  user?: { id?: string; name?: string };
  typing?: boolean;
}

beforeAll(async () => {
  server = await startTestServer();
  fx = await groupWithMembers(server.url, 3);
  [alice, bob, carol] = fx.members as [HttpClient, HttpClient, HttpClient];
  aliceP = connectProvider(alice, fx.group.id);
  carolP = connectProvider(carol, fx.group.id);
  for (const p of [aliceP, carolP]) {
    p.on('connection-close', (event: { code: number } | null) => {
      if (event !== null) serverCloses.push(event.code);
    });
  }
  await Promise.all([waitSynced(aliceP), waitSynced(carolP)]);
  aliceP.awareness.setLocalState({ user: { id: alice.userId, name: 'alice' }, typing: false });
  await waitFor(() => presenceSeenBy(carolP, aliceP.awareness.clientID)?.user?.name === 'alice', {
    message: "carol to see alice's presence",
  });
});

function presenceSeenBy(p: WebsocketProvider, clientId: number): Presence | undefined {
  return p.awareness.getStates().get(clientId);
}

/** Raw attacker for bob with its own honest presence (so it has introduced one id). */
async function attacker(): Promise<{ raw: RawClient; ownId: number; clock: { n: number } }> {
  const raw = await RawClient.connect(bob, fx.group.id);
  await raw.sync();
  const ownId = raw.doc.clientID;
  const clock = { n: 1 };
  await raw.sendAwareness(
    encodeAwareness([
      { clientId: ownId, clock: clock.n, state: { user: { id: bob.userId, name: 'bob' } } },
    ]),
  );
  await waitFor(() => presenceSeenBy(carolP, ownId)?.user?.id === bob.userId, {
    message: "carol to see bob's presence",
  });
  return { raw, ownId, clock };
}

/**
 * Barrier: bob sends an honest presence change after the attack. Frames of one connection
 * are handled in order, so once carol sees this one the attack was handled too.
 */
async function barrier(
  a: { raw: RawClient; ownId: number; clock: { n: number } },
  marker: string,
): Promise<void> {
  a.clock.n += 1;
  await a.raw.sendAwareness(
    encodeAwareness([
      { clientId: a.ownId, clock: a.clock.n, state: { user: { id: bob.userId, name: marker } } },
    ]),
  );
  await waitFor(() => presenceSeenBy(carolP, a.ownId)?.user?.name === marker, {
    message: `carol to see ${marker}`,
  });
}

function aliceIntact(): void {
  const state = presenceSeenBy(carolP, aliceP.awareness.clientID);
  expect(state).toEqual({ user: { id: alice.userId, name: 'alice' }, typing: false });
  expect(presenceSeenBy(aliceP, aliceP.awareness.clientID)).toEqual(state);
}

describe('awareness bound to the user', () => {
  it("drops the removal of another member's presence", async () => {
    const a = await attacker();
    const aliceId = aliceP.awareness.clientID;
    const aliceClock = aliceP.awareness.meta.get(aliceId)!.clock;
    await a.raw.sendAwareness(
      encodeAwareness([{ clientId: aliceId, clock: aliceClock + 1, state: null }]),
    );
    // Also mixed into a frame with an honest entry: only the honest entry may pass.
    a.clock.n += 1;
    await a.raw.sendAwareness(
      encodeAwareness([
        { clientId: a.ownId, clock: a.clock.n, state: { user: { id: bob.userId, name: 'mixed' } } },
        { clientId: aliceId, clock: aliceClock + 5, state: null },
      ]),
    );
    await barrier(a, 'after removal');
    aliceIntact();
  });

  it("drops an overwrite of another member's presence", async () => {
    const a = await attacker();
    const aliceId = aliceP.awareness.clientID;
    const aliceClock = aliceP.awareness.meta.get(aliceId)!.clock;
    await a.raw.sendAwareness(
      encodeAwareness([
        {
          clientId: aliceId,
          clock: aliceClock + 10,
          state: { user: { id: alice.userId, name: 'alice (hacked)' }, typing: true },
        },
      ]),
    );
    await a.raw.sendAwareness(
      encodeAwareness([
        {
          clientId: aliceId,
          clock: aliceClock + 11,
          state: { user: { id: bob.userId, name: 'bob took it' } },
        },
      ]),
    );
    await barrier(a, 'after overwrite');
    aliceIntact();
  });

  it('drops a presence that claims another identity under its own client id', async () => {
    const a = await attacker();
    const fakeId = a.ownId + 1;
    for (const state of [
      { user: { id: alice.userId, name: 'alice' } },
      { userId: alice.userId },
      { user: { id: bob.userId }, userId: alice.userId },
      { user: { id: 42 } },
    ]) {
      a.clock.n += 1;
      await a.raw.sendAwareness(encodeAwareness([{ clientId: a.ownId, clock: a.clock.n, state }]));
      await a.raw.sendAwareness(encodeAwareness([{ clientId: fakeId, clock: a.clock.n, state }]));
    }
    await barrier(a, 'after spoofing');
    for (const [clientId, state] of carolP.awareness.getStates() as Map<
      number,
      Presence & { userId?: string }
    >) {
      if (clientId === aliceP.awareness.clientID) continue;
      expect(
        state.user?.id === alice.userId || state.userId === alice.userId,
        `client ${clientId} poses as alice`,
      ).toBe(false);
    }
    expect(presenceSeenBy(carolP, fakeId)).toBeUndefined();
    aliceIntact();
  });

  it('removes a member’s presence when their socket goes, and honest providers were never closed', async () => {
    const a = await attacker();
    await waitFor(() => presenceSeenBy(carolP, a.ownId) !== undefined, { message: 'bob present' });
    a.raw.close();
    await waitFor(() => presenceSeenBy(carolP, a.ownId) === undefined, {
      message: "bob's presence to go with his socket",
    });
    aliceIntact();
    expect(serverCloses).toEqual([]);
    expect(aliceP.wsconnected && carolP.wsconnected).toBe(true);
  });
});
