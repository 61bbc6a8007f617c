// Seeded fuzz: at least 10,000 random, mutated and crafted updates against one room. The
// guard must never throw, must answer each within a few ms, and whatever it accepts must
// apply cleanly with nothing left pending in the server's store.
import { DocRoot } from '@canopy/shared';
import type { MessageId } from '@canopy/shared';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RawItem } from './testing/guard-fixture.js';
import { ServerRoom, member, message, prng, rawUpdate } from './testing/guard-fixture.js';

const SEED = Number(process.env.GUARD_SEED ?? Date.now() % 2 ** 31);
const ROUNDS = 10_000;

it(
  `never throws, stays fast and leaves nothing pending (seed ${SEED})`,
  { timeout: 60_000 },
  () => {
    console.log(`fuzz seed: ${SEED} (GUARD_SEED=${SEED} to replay)`);
    const random = prng(SEED);
    const int = (n: number) => Math.floor(random() * n);
    const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
    const people = [member('owner'), member('admin'), member(), member(), member('member', true)];
    const room = new ServerRoom();

    // Honest history, and honest updates (not applied) to mutate.
    const ids: MessageId[] = [];
    for (let i = 0; i < 30; i++) {
      const c = room.join(pick(people));
      room.send(c, () => {
        const rec = c.post(`m${i}`, c.member.sender.isBot ? 'bot' : 'text');
        ids.push(rec.id);
        c.mark(rec.id);
        c.react(pick(ids));
      });
    }
    const honest: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) {
      const c = room.join(pick(people));
      honest.push(
        c.write(() => {
          const op = int(4);
          if (op === 0) c.post();
          else if (op === 1) c.mark(pick(ids));
          else if (op === 2) c.react(pick(ids), pick(['a', 'b']));
          else c.deleteMessage(pick(ids));
        }),
      );
    }
    const clients = [...room.doc.store.clients.keys(), 1, 2, 3];
    const anyValue = (): unknown =>
      pick<() => unknown>([
        () => message(pick(people)),
        () => ({ messageId: pick(ids), at: int(9) }),
        () => ({ by: pick(people).id, at: 1 }),
        () => ({ at: int(5) }),
        () => 'text',
        () => [[[int(3)]]],
        () => null,
      ])();
    const crafted = (): Uint8Array => {
      const items: RawItem[] = [];
      const n = 1 + int(3);
      for (let i = 0; i < n; i++) {
        const client = pick(clients) + i * 7919; // distinct per block
        const clock = Y.getState(room.doc.store, pick(clients)) + int(3) - 1;
        const ref = (): [number, number] => [pick(clients), Math.max(0, clock + int(5) - 2)];
        const item: RawItem = { client, clock: Math.max(0, clock), content: { any: [anyValue()] } };
        if (random() < 0.4) item.origin = ref();
        if (random() < 0.2) item.rightOrigin = ref();
        if (random() < 0.5) item.parent = random() < 0.1 ? ref() : pick(Object.values(DocRoot));
        if (random() < 0.5)
          item.parentSub = pick([
            people[0]!.id,
            pick(ids),
            'x',
            `${pick(ids)}/${pick(people).id}/a`,
          ]);
        if (random() < 0.1) item.content = { deleted: 1 + int(1000) };
        if (random() < 0.05) item.content = { string: 'str' };
        items.push(item);
      }
      const deletes: Array<[number, number, number]> = [];
      for (let i = int(3); i > 0; i--) deletes.push([pick(clients), int(40), 1 + int(20)]);
      return rawUpdate(items, deletes);
    };
    const mutate = (base: Uint8Array): Uint8Array => {
      const bytes = Array.from(base);
      for (let k = 1 + int(4); k > 0; k--) {
        const at = int(bytes.length + 1);
        const op = int(5);
        if (op === 0 && bytes.length > 0) bytes[at % bytes.length] = int(256);
        else if (op === 1) bytes.splice(at, 0, 0xff, 0xff, 0xff, 0xff, 0x0f);
        else if (op === 2) bytes.length = at;
        else if (op === 3) bytes.splice(at, int(4));
        else bytes.splice(at, 0, ...pick(honest).slice(0, int(20)));
      }
      return Uint8Array.from(bytes);
    };

    const times: number[] = []; // CPU ms per check
    let accepted = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const kind = int(4);
      const update =
        kind === 0
          ? Uint8Array.from({ length: int(64) }, () => int(256))
          : kind === 1
            ? mutate(pick(honest))
            : kind === 2
              ? crafted()
              : pick(honest);
      const sender = pick(people).sender;
      // CPU time, not wall time: the machine is shared and a descheduled test is not slow code
      const t0 = process.cpuUsage();
      const verdict = room.guard.checkUpdate(update, sender); // a throw fails the test
      const spent = process.cpuUsage(t0);
      times.push((spent.user + spent.system) / 1000);
      if (verdict.ok) {
        accepted++;
        for (const id of verdict.newClientIds) room.bindings.set(id, sender.userId);
        Y.applyUpdate(room.doc, update);
        if (!room.nothingPending()) {
          throw new Error(`accepted update left pending structs (seed ${SEED}, round ${round})`);
        }
      }
    }
    times.sort((x, y) => x - y);
    const p99 = times[Math.floor(times.length * 0.99)]!;
    const max = times[times.length - 1]!;
    console.log(
      `fuzz: ${ROUNDS} updates, ${accepted} accepted, CPU per check p99 ${p99.toFixed(3)} ms, max ${max.toFixed(3)} ms`,
    );
    expect(p99).toBeLessThan(2);
    expect(max).toBeLessThan(25); // allows for a garbage-collection pause
  },
);
