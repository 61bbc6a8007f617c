import { describe, expect, it } from 'vitest';
import { imageDataToInput, inputShape } from './image-input.js';
import { nsfwManifest, type ClassifierManifest } from './index.js';

const tiny = (layout: 'NHWC' | 'NCHW'): ClassifierManifest => ({
  ...nsfwManifest,
  input: {
    ...nsfwManifest.input,
    layout,
    width: 2,
    height: 1,
    normalization: { scale: [1, 0.5, 2], offset: [0, -1, 1] },
  },
});
// Two pixels: (10, 20, 30, alpha 255) and (40, 50, 60, alpha 0); alpha is ignored.
const rgba = Uint8ClampedArray.from([10, 20, 30, 255, 40, 50, 60, 0]);

describe('imageDataToInput', () => {
  it('normalizes per channel and drops alpha, in NHWC order', () => {
    expect(Array.from(imageDataToInput(rgba, 2, 1, tiny('NHWC')))).toEqual([
      10, 9, 61, 40, 24, 121,
    ]);
    expect(inputShape(tiny('NHWC'))).toEqual([1, 1, 2, 3]);
  });

  it('writes planes in NCHW order', () => {
    expect(Array.from(imageDataToInput(rgba, 2, 1, tiny('NCHW')))).toEqual([
      10, 40, 9, 24, 61, 121,
    ]);
    expect(inputShape(tiny('NCHW'))).toEqual([1, 3, 1, 2]);
  });

  it('maps 0..255 to the [0, 1] range nsfwjs feeds its model', () => {
    const white = new Uint8ClampedArray(224 * 224 * 4).fill(255);
    const input = imageDataToInput(white, 224, 224, nsfwManifest);
    expect(input).toHaveLength(224 * 224 * 3);
    expect(input[0]).toBeCloseTo(1, 6);
  });

  it('rejects pixels that were not resized to the model size', () => {
    expect(() => imageDataToInput(rgba, 1, 2, tiny('NHWC'))).toThrow(/expected 2x1 pixels/);
    expect(() => imageDataToInput(rgba.subarray(4), 2, 1, tiny('NHWC'))).toThrow(/RGBA bytes/);
  });
});
