// Cost of the common case on a big room: one message insert, or one read marker, checked
// against a 100k-message document written by 200 members. Prints the figures; asserts a
// loose bound (the machine is shared) that still catches O(document) work per update.
import { DocRoot, appendMessage, groupDoc, makeId } from '@canopy/shared';
import type { UserId } from '@canopy/shared';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocumentGuard } from './document-guard.js';
import { ServerRoom, member, message } from './testing/guard-fixture.js';

const MESSAGES = 100_000;
const MEMBERS = 200;
const SAMPLES = 2000;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

it('checks a typical update on a 100k-message room in microseconds', { timeout: 120_000 }, () => {
  const members = Array.from({ length: MEMBERS }, () => member());
  const builder = new Y.Doc();
  const g = groupDoc(builder);
  const bindings = new Map<number, UserId>();
  for (let i = 0; i < MESSAGES; i++) {
    const who = i % MEMBERS;
    builder.clientID = 1000 + who;
    bindings.set(builder.clientID, members[who]!.id);
    const rec = message(members[who]!, `message ${i}`);
    builder.transact(() => {
      appendMessage(builder, rec);
      if (i % 5 === 0) g.readMarkers.set(members[who]!.id, { messageId: rec.id, at: i });
    });
  }
  const state = Y.encodeStateAsUpdate(builder);
  builder.destroy();

  const room = new ServerRoom({}, (doc) => Y.applyUpdate(doc, state));
  for (const [id, user] of bindings) room.bindings.set(id, user);
  // Guard creation on a loaded room: one walk of the messages list builds the index.
  let t0 = performance.now();
  createDocumentGuard()({ groupId: makeId(), doc: room.doc, bindings: room.bindings }).destroy();
  const indexMs = performance.now() - t0;
  expect(room.doc.getArray(DocRoot.messages).length).toBe(MESSAGES);

  const author = members[7]!;
  const client = room.join(author);
  const check: number[] = [];
  const apply: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const update = client.write(() => {
      const rec = client.post(`sample ${i}`);
      if (i % 2 === 0) client.mark(rec.id);
    });
    t0 = performance.now();
    const verdict = room.guard.checkUpdate(update, author.sender);
    const t1 = performance.now();
    if (!verdict.ok) throw new Error(verdict.reason);
    for (const id of verdict.newClientIds) room.bindings.set(id, author.id);
    Y.applyUpdate(room.doc, update);
    const t2 = performance.now();
    check.push(t1 - t0);
    apply.push(t2 - t1);
  }
  // A reconnecting client's sync step 2 carries its whole delete set (here ~20k overwritten
  // markers): every range is already deleted on the server and is walked once.
  room.deliver(client);
  const step2 = Y.encodeStateAsUpdate(client.doc, Y.encodeStateVector(room.doc));
  t0 = performance.now();
  const reconnect = room.guard.checkUpdate(step2, author.sender);
  const reconnectMs = performance.now() - t0;
  expect(reconnect.ok).toBe(true);
  check.sort((a, b) => a - b);
  apply.sort((a, b) => a - b);
  const fmt = (xs: number[]) =>
    `p50 ${(quantile(xs, 0.5) * 1000).toFixed(1)} µs, p99 ${(quantile(xs, 0.99) * 1000).toFixed(1)} µs`;
  console.log(
    `guard on ${MESSAGES} messages / ${MEMBERS} members: created (index built) in ` +
      `${indexMs.toFixed(0)} ms; checkUpdate ${fmt(check)}; Y.applyUpdate ${fmt(apply)}; ` +
      `reconnect sync step 2 (${step2.byteLength} bytes) checked in ${reconnectMs.toFixed(1)} ms`,
  );
  expect(quantile(check, 0.5)).toBeLessThan(0.5);
});
