import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { makeDeliveryState } from './delivery-state.js';

describe('delivery state', () => {
  it('counts an item as stored once the acked clock passes it, and never goes back', () => {
    const d = makeDeliveryState();
    expect(d.isStored(7, 0)).toBe(false);
    expect(d.merge(new Map([[7, 3]]))).toBe(true);
    expect(d.isStored(7, 2)).toBe(true);
    expect(d.isStored(7, 3)).toBe(false);
    expect(d.merge(new Map([[7, 1]]))).toBe(false);
    expect(d.isStored(7, 2)).toBe(true);
  });

  it('round-trips through the Yjs state vector encoding', () => {
    const d = makeDeliveryState();
    d.merge(
      new Map([
        [1, 10],
        [2 ** 31, 5],
      ]),
    );
    const back = makeDeliveryState(d.encode());
    expect(back.isStored(2 ** 31, 4)).toBe(true);
    expect(Y.decodeStateVector(d.encode())).toEqual(
      new Map([
        [1, 10],
        [2 ** 31, 5],
      ]),
    );
    expect(makeDeliveryState(new Uint8Array([0xff])).isStored(1, 0)).toBe(false);
  });
});
