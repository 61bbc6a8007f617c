import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BlobInfo } from '@canopy/shared';
import { blobResponse, downloadName, parseRange, servedType } from './serve-blob.js';

const dir = mkdtempSync(path.join(tmpdir(), 'canopy-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const content = Buffer.from('0123456789');
const file = path.join(dir, 'blob');
writeFileSync(file, content);
const blob: BlobInfo = {
  sha256: 'ab'.repeat(32),
  mime: 'video/mp4',
  size: 10,
  width: null,
  height: null,
};

const serve = (headers: Record<string, string>, b: BlobInfo = blob) =>
  blobResponse({ file, blob: b, headers: new Headers(headers), name: undefined });

describe('parseRange', () => {
  it('reads one range in its three forms and clamps the end', () => {
    expect(parseRange('bytes=2-5', 10)).toEqual({ start: 2, end: 5 });
    expect(parseRange('bytes=7-', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=8-100', 10)).toEqual({ start: 8, end: 9 });
  });

  it('serves the whole file for absent or unsupported ranges, refuses impossible ones', () => {
    expect(parseRange(null, 10)).toBeNull();
    expect(parseRange('bytes=0-1,4-5', 10)).toBeNull();
    expect(parseRange('items=0-1', 10)).toBeNull();
    expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 10)).toBe('unsatisfiable');
  });
});

describe('servedType and downloadName', () => {
  it('never labels a stored page or script as something a browser runs', () => {
    expect(servedType('text/html')).toBe('application/octet-stream');
    expect(servedType('application/xml')).toBe('application/octet-stream');
    expect(servedType('text/javascript')).toBe('application/octet-stream');
    expect(servedType('image/svg+xml')).toBe('image/svg+xml');
    expect(servedType('text/plain')).toBe('text/plain; charset=utf-8');
  });

  it('uses the asked-for name without path parts, else the hash', () => {
    expect(downloadName(blob, '../etc/pass\nwd')).toBe('..etcpasswd');
    expect(downloadName(blob, '..')).toBe(`${'ab'.repeat(8)}.mp4`);
    expect(downloadName({ ...blob, mime: 'application/x-foo' }, undefined)).toMatch(/\.bin$/);
  });
});

describe('blobResponse', () => {
  it('answers ranges with 206 and the slice, impossible ones with 416', async () => {
    const part = serve({ range: 'bytes=2-4' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 2-4/10');
    expect(part.headers.get('content-length')).toBe('3');
    expect(await part.text()).toBe('234');
    const none = serve({ range: 'bytes=20-' });
    expect(none.status).toBe(416);
    expect(none.headers.get('content-range')).toBe('bytes */10');
  });

  it('ignores a range under a stale If-Range, and answers a matching ETag with 304', async () => {
    const whole = serve({ range: 'bytes=2-4', 'if-range': '"other"' });
    expect(whole.status).toBe(200);
    expect(await whole.text()).toBe('0123456789');
    expect(serve({ 'if-none-match': `W/"x", "${blob.sha256}"` }).status).toBe(304);
  });

  it('downloads what is not an inline image or media type', async () => {
    const video = serve({});
    expect(video.headers.get('content-disposition')).toMatch(/^inline;/);
    const pdf = serve({}, { ...blob, mime: 'application/pdf' });
    expect(pdf.headers.get('content-disposition')).toBe(
      `attachment; filename*=UTF-8''${'ab'.repeat(8)}.pdf`,
    );
    await Promise.all([video.body?.cancel(), pdf.body?.cancel()]);
  });
});
