// Honest traffic is always accepted: several members and sessions (moderators, a bot),
// random operations from a seeded PRNG, network delay (clients act on stale state), offline
// periods ending in a y-websocket sync step 2 with the whole delete set, new sessions.
// At the end every client converges with the server and nothing is pending there.
import { DocRoot, groupDoc, parseReactionKey, reactionKey } from '@canopy/shared';
import type { MessageRecord } from '@canopy/shared';
import { expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { Client, Member } from './testing/guard-fixture.js';
import { ServerRoom, member, prng } from './testing/guard-fixture.js';

const SEED = Number(process.env.GUARD_SEED ?? Date.now() % 2 ** 31);
const STEPS = 800;

interface Session {
  client: Client;
  online: boolean;
}

it(`accepts honest traffic and converges (seed ${SEED})`, { timeout: 60_000 }, () => {
  console.log(`honest traffic seed: ${SEED} (GUARD_SEED=${SEED} to replay)`);
  const random = prng(SEED);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const members: Member[] = [
    member('owner'),
    member('admin'),
    member(),
    member(),
    member(),
    member('member', true),
  ];
  const room = new ServerRoom();
  const sessions: Session[] = members.map((m) => ({ client: room.join(m), online: true }));

  const visible = (c: Client): MessageRecord[] => c.g.messages.toArray();
  const own = (c: Client) => visible(c).filter((m) => m.authorId === c.member.id);
  const moderator = (c: Client) => c.member.sender.role !== 'member';

  const ops: Array<(c: Client) => void> = [
    (c) => c.post(`text ${random()}`, c.member.sender.isBot ? 'bot' : 'text'),
    (c) => c.post(`text ${random()}`),
    (c) => {
      const mine = own(c);
      if (mine.length > 0) {
        c.g.edits.set(pick(mine).id, { text: `edit ${random()}`, by: c.member.id, at: Date.now() });
      }
    },
    (c) => {
      const mine = own(c);
      if (mine.length > 0) c.deleteMessage(pick(mine).id);
    },
    (c) => {
      const all = visible(c);
      if (moderator(c) && all.length > 0) c.deleteMessage(pick(all).id);
    },
    (c) => {
      const all = visible(c);
      if (all.length > 0) c.react(pick(all).id, pick(['👍', '🎉', '👀']));
    },
    (c) => {
      const mine = [...c.g.reactions.keys()].filter(
        (k) => parseReactionKey(k)?.userId === c.member.id,
      );
      if (mine.length > 0) c.g.reactions.delete(pick(mine));
    },
    (c) => {
      const all = visible(c);
      if (all.length > 0) c.mark(pick(all).id);
    },
    (c) => {
      const all = visible(c);
      if (all.length > 0) {
        c.g.deliveredMarkers.set(c.member.id, { messageId: pick(all).id, at: Date.now() });
      }
    },
    (c) => {
      const all = visible(c);
      if (!moderator(c) || all.length === 0) return;
      if (random() < 0.6) c.g.pins.set(pick(all).id, { by: c.member.id, at: Date.now() });
      else if (c.g.pins.size > 0) c.g.pins.delete(pick([...c.g.pins.keys()]));
    },
    (c) => {
      // a reaction on a message this client just posted: edits and reactions in one update
      const id = c.post().id;
      c.g.reactions.set(reactionKey(id, c.member.id, '✅'), { at: Date.now() });
    },
  ];

  const accepted = (verdict: { ok: unknown; reason?: string }, what: string): void => {
    if (!verdict.ok) throw new Error(`${what} refused: ${verdict.reason} (seed ${SEED})`);
  };

  for (let step = 0; step < STEPS; step++) {
    const roll = random();
    if (roll < 0.05) {
      sessions.push({ client: room.join(pick(members)), online: true });
      continue;
    }
    const session = pick(sessions);
    if (roll < 0.12) {
      session.online = !session.online;
      if (session.online) {
        accepted(room.syncStep2(session.client), 'sync step 2');
        room.deliver(session.client);
      }
      continue;
    }
    if (roll < 0.3) {
      for (const s of sessions) if (s.online && random() < 0.5) room.deliver(s.client);
      continue;
    }
    const op = pick(ops);
    const update = session.client.write(() => op(session.client));
    if (session.online) accepted(room.receive(update, session.client.member.sender), 'update');
  }

  for (const s of sessions) accepted(room.syncStep2(s.client), 'final sync step 2');
  const snapshot = (doc: Y.Doc) =>
    Object.fromEntries(
      Object.entries(groupDoc(doc)).map(([k, t]) => [
        k,
        (t as Y.AbstractType<unknown>).toJSON() as unknown,
      ]),
    );
  const expected = snapshot(room.doc);
  for (const s of sessions) {
    room.deliver(s.client);
    expect(snapshot(s.client.doc)).toEqual(expected);
  }
  expect(room.nothingPending()).toBe(true);
  expect(room.doc.getArray(DocRoot.messages).length).toBeGreaterThan(0);
});
