import { describe, expect, it } from 'vitest';
import { sniffText } from './sniff-text.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('sniffText', () => {
  it('recognises SVG with or without an XML declaration', () => {
    expect(sniffText(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('image/svg+xml');
    expect(sniffText(bytes('\uFEFF<?xml version="1.0"?>\n<!-- x -->\n<svg>'))).toBe(
      'image/svg+xml',
    );
  });

  it('recognises HTML by its usual openings', () => {
    for (const page of ['<!DOCTYPE html><p>', '  <html lang="en">', '<script>x()</script>'])
      expect(sniffText(bytes(page))).toBe('text/html');
  });

  it('tells XML, plain text and binary apart', () => {
    expect(sniffText(bytes('<?xml version="1.0"?><note/>'))).toBe('application/xml');
    expect(sniffText(bytes('hello, <b>world</b>'))).toBe('text/plain');
    expect(sniffText(Uint8Array.of(0x68, 0x69, 0x00, 0x01))).toBe('application/octet-stream');
    expect(sniffText(Uint8Array.of(0xff, 0xfe, 0xfd))).toBe('application/octet-stream');
  });

  it('accepts a multi-byte character cut off at the end of the head', () => {
    const text = bytes('naïve café ü');
    expect(sniffText(text.subarray(0, text.length - 1))).toBe('text/plain');
  });
});
