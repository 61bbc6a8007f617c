import { describe, expect, it } from 'vitest';
import { bytesToBase64, fitWithin, thumbhashSize } from './image-geometry.js';

describe('fitWithin', () => {
  it('scales the long edge down to the limit, keeping the aspect ratio', () => {
    expect(fitWithin(4000, 3000, 2048)).toEqual({ width: 2048, height: 1536 });
    expect(fitWithin(3000, 4000, 2048)).toEqual({ width: 1536, height: 2048 });
    expect(fitWithin(3000, 1000, 2048)).toEqual({ width: 2048, height: 683 });
  });

  it('never upscales', () => {
    expect(fitWithin(640, 480, 2048)).toEqual({ width: 640, height: 480 });
    expect(fitWithin(2048, 2048, 2048)).toEqual({ width: 2048, height: 2048 });
  });

  it('keeps a very thin strip at least one pixel wide', () => {
    expect(fitWithin(100_000, 3, 2048)).toEqual({ width: 2048, height: 1 });
  });

  it('refuses empty or invalid sizes', () => {
    expect(() => fitWithin(0, 10, 2048)).toThrow(/invalid size/);
    expect(() => fitWithin(10, Number.NaN, 2048)).toThrow(/invalid size/);
  });
});

describe('thumbhash helpers', () => {
  it('fits the thumbhash input in 100×100', () => {
    expect(thumbhashSize(2048, 1536)).toEqual({ width: 100, height: 75 });
    expect(thumbhashSize(50, 20)).toEqual({ width: 50, height: 20 });
  });

  it('encodes bytes as standard base64', () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});
