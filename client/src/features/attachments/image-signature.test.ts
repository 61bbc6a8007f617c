import { describe, expect, it } from 'vitest';
import { isImageSignature } from './image-signature.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)),
  );

describe('isImageSignature', () => {
  it('recognizes raster images whatever their name or claimed type', () => {
    expect(isImageSignature(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(isImageSignature(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
    expect(isImageSignature(bytes('GIF89a'))).toBe(true);
    expect(isImageSignature(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe(true);
    expect(isImageSignature(bytes([0, 0, 0, 0x1c], 'ftypheic'))).toBe(true);
    const bmp = bytes('BM', new Array<number>(12).fill(0), [40, 0, 0, 0]);
    expect(isImageSignature(bmp)).toBe(true);
  });

  it('leaves documents, media and text alone', () => {
    expect(isImageSignature(bytes('%PDF-1.4\n'))).toBe(false);
    expect(isImageSignature(bytes([0, 0, 0, 0x18], 'ftypmp42'))).toBe(false);
    expect(isImageSignature(bytes('BMW service report, 2024'))).toBe(false);
    expect(isImageSignature(bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '))).toBe(false);
    expect(isImageSignature(new Uint8Array())).toBe(false);
  });
});
