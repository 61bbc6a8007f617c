import { describe, expect, it } from 'vitest';
import { makeId } from '@canopy/shared';
import type { GroupId, UserId } from '@canopy/shared';
import { makeMemoryKv } from './idb-kv.js';
import { makeOutbox } from './outbox.js';
import type { OutboxEntry, OutboxResult } from './outbox.js';

const me = makeId<UserId>();
const entry = (name: string): OutboxEntry => ({
  kind: 'create-group',
  groupId: makeId<GroupId>(),
  name,
  members: [],
  at: Date.now(),
});

describe('outbox', () => {
  it('sends in order, stops on retry, survives a reload, and drops what can never work', async () => {
    const kv = makeMemoryKv();
    const sent: string[] = [];
    let answer: (e: OutboxEntry) => OutboxResult = () => 'retry';
    const send = (e: OutboxEntry): Promise<OutboxResult> => {
      sent.push(e.kind === 'create-group' ? e.name : e.kind);
      return Promise.resolve(answer(e));
    };
    const first = makeOutbox(kv, me, send);
    await first.load();
    await first.add(entry('a'));
    await first.add(entry('b'));
    await first.add(entry('c'));
    await first.flush();
    expect(sent).toEqual(['a']); // offline: the head stays, nothing after it goes out

    // A reload: a new outbox on the same store still holds all three, in order.
    const second = makeOutbox(kv, me, send);
    expect((await second.load()).map((e) => (e.kind === 'create-group' ? e.name : ''))).toEqual([
      'a',
      'b',
      'c',
    ]);
    answer = (e) => (e.kind === 'create-group' && e.name === 'b' ? 'drop' : 'done');
    sent.length = 0;
    await Promise.all([second.flush(), second.flush()]); // concurrent flushes join
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(second.entries()).toEqual([]);
    expect(await makeOutbox(kv, me, send).load()).toEqual([]);
  });

  it('treats a thrown error as retry and ignores a stored value of the wrong shape', async () => {
    const kv = makeMemoryKv();
    await kv.set(`outbox:${me}`, [{ kind: 'nope' }]);
    const box = makeOutbox(kv, me, () => Promise.reject(new Error('boom')));
    expect(await box.load()).toEqual([]);
    await box.add(entry('x'));
    await box.flush();
    expect(box.entries()).toHaveLength(1);
  });
});
