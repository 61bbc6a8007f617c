import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { keepAppendFast } from './append-position.js';

/** Counts how many Items an insert at the end visits, through the `right` links Yjs follows. */
function itemsVisitedByAppend(list: Y.Array<unknown>, value: unknown): number {
  let visited = 0;
  let counting = false;
  const seen = new Set<unknown>();
  // Every Item of the list reports reads of its `right` link while the insert runs.
  for (let item = list._start; item !== null; item = item.right) {
    const own = item;
    let right = own.right;
    seen.add(own);
    Object.defineProperty(own, 'right', {
      configurable: true,
      get: () => {
        if (counting) visited++;
        return right;
      },
      set: (v: typeof right) => {
        right = v;
      },
    });
  }
  counting = true;
  list.insert(list.length, [value]);
  counting = false;
  for (const item of seen) {
    const right = (item as { right: unknown }).right;
    Object.defineProperty(item, 'right', { configurable: true, writable: true, value: right });
  }
  return visited;
}

describe('keepAppendFast', () => {
  it('leaves a position marker at the end after a change from elsewhere', () => {
    const mine = new Y.Doc();
    const theirs = new Y.Doc();
    const list = mine.getArray('messages');
    // Separate items (one transaction each, with a map write in between, as sends do).
    for (let i = 0; i < 2000; i++) {
      mine.transact(() => {
        list.insert(list.length, [{ i }]);
        mine.getMap('markers').set('me', i);
      });
    }
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine));
    const pending: (() => void)[] = [];
    const stop = keepAppendFast(list, (run) => {
      pending.push(run);
      return () => undefined;
    });
    const remote = (): void => {
      const other = theirs.getArray('messages');
      other.insert(other.length, [{ from: 'them' }]);
      Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs, Y.encodeStateVector(mine)));
    };

    // Until the warm-up has run, a send after a remote message walks the whole list.
    remote();
    expect(pending).toHaveLength(1);
    expect(itemsVisitedByAppend(list, { send: 1 })).toBeGreaterThan(2000);
    pending.shift()!();
    // Local transactions schedule nothing.
    list.insert(list.length, [{ send: 'local' }]);
    expect(pending).toHaveLength(0);

    remote();
    expect(pending).toHaveLength(1);
    pending.shift()!();
    expect(itemsVisitedByAppend(list, { send: 2 })).toBeLessThan(10);
    // Same content as the other side after a sync: the marker did not misplace the insert.
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine, Y.encodeStateVector(theirs)));
    expect(theirs.getArray('messages').toJSON()).toEqual(list.toJSON());
    expect(list.get(list.length - 1)).toEqual({ send: 2 });

    stop();
    remote();
    expect(pending).toHaveLength(0);
  });
});
