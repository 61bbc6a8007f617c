import { describe, expect, it } from 'vitest';
import { centreSquare } from './avatar-geometry.js';

describe('centreSquare', () => {
  it('keeps the middle of a landscape picture', () => {
    expect(centreSquare(1200, 800)).toEqual({ x: 200, y: 0, side: 800 });
  });

  it('keeps the middle of a portrait picture', () => {
    expect(centreSquare(300, 1001)).toEqual({ x: 0, y: 350, side: 300 });
  });

  it('keeps a square picture whole, however small', () => {
    expect(centreSquare(1, 1)).toEqual({ x: 0, y: 0, side: 1 });
    expect(centreSquare(256, 256)).toEqual({ x: 0, y: 0, side: 256 });
  });

  it('refuses an empty size', () => {
    expect(() => centreSquare(0, 10)).toThrow(/invalid size/);
    expect(() => centreSquare(10, Number.NaN)).toThrow(/invalid size/);
  });
});
