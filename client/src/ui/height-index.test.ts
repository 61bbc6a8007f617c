import { describe, expect, it } from 'vitest';
import { HeightIndex } from './height-index.js';

describe('HeightIndex', () => {
  it('keeps offsets and hit-tests through appends, growth and updates', () => {
    const idx = new HeightIndex(10);
    idx.resize(3000);
    expect(idx.total).toBe(30_000);
    expect(idx.prefix(5)).toBe(50);
    expect(idx.indexAt(0)).toBe(0);
    expect(idx.indexAt(55)).toBe(5);
    idx.set(2, 40);
    expect(idx.prefix(3)).toBe(60);
    expect(idx.indexAt(59)).toBe(2);
    expect(idx.indexAt(60)).toBe(3);
    idx.resize(5000);
    expect(idx.total).toBe(50_030);
    expect(idx.indexAt(1e9)).toBe(4999);
  });

  it('matches a naive model under random updates', () => {
    let seed = 42;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const idx = new HeightIndex(20);
    const model: number[] = [];
    for (let round = 0; round < 200; round++) {
      const grow = Math.floor(rand() * 50);
      idx.resize(model.length + grow);
      for (let i = 0; i < grow; i++) model.push(20);
      const i = Math.floor(rand() * model.length);
      const h = 5 + Math.floor(rand() * 100);
      if (model.length > 0) {
        model[i] = h;
        idx.set(i, h);
      }
      const k = Math.floor(rand() * (model.length + 1));
      expect(idx.prefix(k)).toBe(model.slice(0, k).reduce((a, b) => a + b, 0));
    }
    // hit test: the row at the top offset of row k is k
    for (let k = 0; k < model.length; k += 37) expect(idx.indexAt(idx.prefix(k))).toBe(k);
  });

  it('gives new rows a guessed height and keeps measured rows when the arrays grow', () => {
    const idx = new HeightIndex(10);
    idx.resize(1024);
    idx.set(0, 99);
    idx.resize(1025, () => 30); // the arrays grow past their first capacity here
    expect(idx.height(0)).toBe(99);
    expect(idx.height(1)).toBe(10);
    expect(idx.height(1024)).toBe(30);
    expect(idx.total).toBe(99 + 1023 * 10 + 30);
    idx.resize(1026, () => 31);
    expect(idx.height(1025)).toBe(31);
    expect(idx.total).toBe(99 + 1023 * 10 + 30 + 31);
  });
});
