import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendMessage, groupDoc, makeId } from '@canopy/shared';
import type { MessageId, UserId } from '@canopy/shared';
import { installFastAsciiDecoding } from './fast-ascii-decoding.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('fast ASCII decoding', () => {
  const reference = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  installFastAsciiDecoding(decoder);

  it('decodes exactly as the native decoder', () => {
    const samples = [
      '',
      'id',
      'authorId',
      'V1StGXR8_Z5jdHi6B-myT',
      'plain words of a message',
      'x'.repeat(64),
      'y'.repeat(65),
      'Grüße, ça va? 日本語 🌿',
      'ascii then é',
      '\u0000\u007f',
    ];
    for (const s of samples) {
      const bytes = utf8(s);
      expect(decoder.decode(bytes)).toBe(reference.decode(bytes));
      // a view into a larger buffer, as lib0 passes them
      const padded = new Uint8Array(bytes.length + 8);
      padded.set(bytes, 4);
      expect(decoder.decode(padded.subarray(4, 4 + bytes.length))).toBe(s);
    }
  });

  it('still refuses invalid UTF-8 like the native decoder', () => {
    const invalid = new Uint8Array([0x61, 0xff, 0x62]);
    expect(() => reference.decode(invalid)).toThrow(TypeError);
    expect(() => decoder.decode(invalid)).toThrow(TypeError);
  });

  it('keeps a byte-order mark (ignoreBOM), as lib0 asks', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
    expect(decoder.decode(bom)).toBe(reference.decode(bom));
  });
});

describe('Yjs documents with the shared decoder wrapped', () => {
  it('load the same records', () => {
    const source = new Y.Doc();
    const texts = ['hello', 'Grüße 🌿', 'z'.repeat(300)];
    for (const text of texts) {
      appendMessage(source, {
        id: makeId<MessageId>(),
        authorId: makeId<UserId>(),
        createdAt: 1,
        kind: 'text',
        text,
      });
    }
    const update = Y.encodeStateAsUpdate(source);
    expect(installFastAsciiDecoding()).toBe(true);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, update);
    expect(groupDoc(copy).messages.toJSON()).toEqual(groupDoc(source).messages.toJSON());
    expect(groupDoc(copy).messages.map((m) => m.text)).toEqual(texts);
  });
});
