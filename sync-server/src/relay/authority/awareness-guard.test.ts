// Awareness bound to the sender: spoofed identities and other clients' entries are dropped,
// honest presence (and the echoes stock y-websocket clients send) passes or is filtered.
import { CloseCode } from '@canopy/shared';
import * as encoding from 'lib0/encoding';
import { beforeEach, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { ServerRoom, member, prng } from './testing/guard-fixture.js';

const alice = member();
const bob = member();

function frame(entries: Array<[clientId: number, clock: number, state: unknown]>): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const [id, clock, state] of entries) {
    encoding.writeVarUint(e, id);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, JSON.stringify(state));
  }
  return encoding.toUint8Array(e);
}

let room: ServerRoom;
const aliceOwn = new Set<number>();
const bobOwn = new Set<number>();

beforeEach(() => {
  room = new ServerRoom();
  aliceOwn.clear();
  bobOwn.clear();
});

function accept(update: Uint8Array, who: typeof alice, own: Set<number>): Uint8Array {
  const verdict = room.guard.checkAwareness(update, who.sender, own);
  if (verdict.ok !== true) throw new Error(`refused: ${verdict.reason}`);
  return verdict.update;
}

it('passes a stock client’s own presence unchanged', () => {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  awareness.setLocalState({ user: { id: alice.id, name: 'Alice' }, typing: false });
  const update = encodeAwarenessUpdate(awareness, [doc.clientID]);
  expect(accept(update, alice, aliceOwn)).toBe(update);
  awareness.destroy();
});

it('drops states that claim another identity', () => {
  const v1 = room.guard.checkAwareness(
    frame([[10, 1, { user: { id: bob.id } }]]),
    alice.sender,
    aliceOwn,
  );
  expect(v1.ok).toBe('drop');
  const v2 = room.guard.checkAwareness(
    frame([[10, 1, { userId: bob.id }]]),
    alice.sender,
    aliceOwn,
  );
  expect(v2.ok).toBe('drop');
});

it('filters out and drops updates or removals of other users’ clients', () => {
  accept(frame([[20, 1, { user: { id: bob.id } }]]), bob, bobOwn);
  bobOwn.add(20);
  room.bindings.set(30, bob.id); // bob's document client id
  for (const entry of [
    [20, 2, null],
    [20, 2, { user: { id: alice.id } }],
    [30, 1, null],
  ] as Array<[number, number, unknown]>) {
    const v = room.guard.checkAwareness(frame([entry]), alice.sender, aliceOwn);
    expect(v.ok).toBe('drop');
  }
  // a mixed frame (a stock client echoing bob's state with its own) keeps only alice's entry
  const mixed = frame([
    [20, 1, { user: { id: bob.id } }],
    [40, 1, { user: { id: alice.id } }],
  ]);
  const kept = accept(mixed, alice, aliceOwn);
  const target = new Awareness(new Y.Doc());
  applyAwarenessUpdate(target, kept, 'test');
  expect([...target.getStates().keys()].sort()).toEqual([40, target.clientID].sort());
  // bob still owns 20 and may remove it
  expect(accept(frame([[20, 3, null]]), bob, bobOwn).length).toBeGreaterThan(0);
  target.destroy();
});

it('lets a connection introduce only a few presence ids; a flood cannot free others’ ids', () => {
  accept(frame([[50, 1, { user: { id: alice.id } }]]), alice, aliceOwn);
  aliceOwn.add(50);
  const flood = frame(
    Array.from({ length: 3000 }, (_, i): [number, number, unknown] => [100_000 + i, 1, {}]),
  );
  const kept = accept(flood, bob, bobOwn);
  const target = new Awareness(new Y.Doc());
  applyAwarenessUpdate(target, kept, 'test');
  expect(target.getStates().size).toBe(1 + 8); // its own local state + the 8 allowed
  // alice's id is still hers, whatever bob sends
  expect(room.guard.checkAwareness(frame([[50, 9, { typing: true }]]), bob.sender, bobOwn).ok).toBe(
    'drop',
  );
  target.destroy();
});

it('drops (never closes on) an echo of a very big room’s presence', () => {
  const echo = frame(
    Array.from({ length: 5000 }, (_, i): [number, number, unknown] => [200_000 + i, 1, null]),
  );
  expect(room.guard.checkAwareness(echo, alice.sender, aliceOwn).ok).toBe('drop');
});

it('closes on malformed frames and oversized states', () => {
  const bad = room.guard.checkAwareness(new Uint8Array([5, 1]), alice.sender, aliceOwn);
  expect(bad).toMatchObject({ ok: false, code: CloseCode.BAD_FRAME });
  const notJson = frame([[1, 1, 0]]);
  notJson[notJson.length - 1] = 0x7b; // '{'
  expect(room.guard.checkAwareness(notJson, alice.sender, aliceOwn)).toMatchObject({
    ok: false,
    code: CloseCode.BAD_FRAME,
  });
  const big = frame([[1, 1, { blob: 'x'.repeat(9000) }]]);
  expect(room.guard.checkAwareness(big, alice.sender, aliceOwn)).toMatchObject({
    ok: false,
    code: CloseCode.TOO_LARGE,
  });
});

it('never throws on random or mutated frames', () => {
  const seed = Number(process.env.GUARD_SEED ?? Date.now() % 2 ** 31);
  console.log(`awareness fuzz seed: ${seed}`);
  const random = prng(seed);
  const base = frame([
    [7, 1, { user: { id: alice.id } }],
    [8, 2, null],
  ]);
  for (let i = 0; i < 2000; i++) {
    const bytes =
      random() < 0.5
        ? Array.from(base)
        : Array.from({ length: Math.floor(random() * 40) }, () => 0);
    for (let k = 0; k < bytes.length; k++)
      if (random() < 0.1) bytes[k] = Math.floor(random() * 256);
    room.guard.checkAwareness(Uint8Array.from(bytes), alice.sender, aliceOwn);
  }
});
