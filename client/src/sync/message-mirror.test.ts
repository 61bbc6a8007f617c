import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendMessage, groupDoc, makeId } from '@canopy/shared';
import type { MessageId, UserId } from '@canopy/shared';
import { createMessageMirror } from './message-mirror.js';
import { textRecord } from './test-records.js';
import type { MirrorChange } from './message-mirror.js';

const record = textRecord;

function texts(m: ReturnType<typeof createMessageMirror>): string[] {
  const out: string[] = [];
  for (let i = 0; i < m.length; i++) out.push(m.get(i)?.text ?? '');
  return out;
}

describe('message mirror', () => {
  it('follows local appends on the fast path', () => {
    const doc = new Y.Doc();
    const mirror = createMessageMirror(doc);
    const changes: MirrorChange[] = [];
    mirror.subscribe((c) => changes.push(c));
    const u = makeId<UserId>();
    appendMessage(doc, record(u, 'a'));
    appendMessage(doc, record(u, 'b'));
    appendMessage(doc, record(u, 'c'));
    expect(texts(mirror)).toEqual(['a', 'b', 'c']);
    expect(changes.slice(1)).toEqual([
      { type: 'append', from: 1, count: 1 },
      { type: 'append', from: 2, count: 1 },
    ]);
    expect(mirror.clientAt(2)).toBe(doc.clientID);
    expect(mirror.indexOf(mirror.get(1)?.id as MessageId)).toBe(1);
  });

  it('matches the Y.Array after random concurrent edits, merges and deletions', () => {
    const initialSeed = Number(process.env.SEED ?? 7);
    let seed = initialSeed;
    console.log(`message mirror convergence seed ${initialSeed}`);
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    const users = docs.map(() => makeId<UserId>());
    const mirrors = docs.map((d) => createMessageMirror(d));
    for (let step = 0; step < 400; step++) {
      const i = Math.floor(rand() * docs.length);
      const doc = docs[i] as Y.Doc;
      const r = rand();
      if (r < 0.6) appendMessage(doc, record(users[i] as UserId, `m${step}`));
      else if (r < 0.7) {
        const arr = groupDoc(doc).messages;
        if (arr.length > 0) arr.delete(Math.floor(rand() * arr.length), 1);
      } else {
        const j = Math.floor(rand() * docs.length);
        const other = docs[j] as Y.Doc;
        Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
      }
    }
    for (const [k, doc] of docs.entries()) {
      const expected = groupDoc(doc)
        .messages.toArray()
        .map((m) => m.text ?? '');
      expect(
        texts(mirrors[k] as ReturnType<typeof createMessageMirror>),
        `seed ${initialSeed} doc ${k}`,
      ).toEqual(expected);
    }
  });
});
