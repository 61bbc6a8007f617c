// Builds the response for one stored blob: the type it is served as, inline or download,
// caching (immutable, ETag = sha256, 304), single byte ranges (seeking in audio/video), and
// the file streamed from disk. Access control happens before this is called.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { isInlineImage, isInlineMedia } from '@canopy/shared';
import type { BlobInfo } from '@canopy/shared';

/** Nothing in a blob may run, load or navigate, even when opened directly. */
export const BLOB_CSP = "default-src 'none'; sandbox";

const OCTET = 'application/octet-stream';

/** Types a browser could execute as a document or script: served as opaque bytes. */
function isActiveType(mime: string): boolean {
  return (
    mime === 'text/html' ||
    mime === 'application/xhtml+xml' ||
    mime.endsWith('/xml') ||
    mime.includes('javascript') ||
    mime.includes('ecmascript')
  );
}

/** The Content-Type a stored type is served with. */
export function servedType(mime: string): string {
  if (isActiveType(mime)) return OCTET;
  if (mime === 'text/plain') return 'text/plain; charset=utf-8';
  return mime;
}

export function isInline(mime: string): boolean {
  return isInlineImage(mime) || isInlineMedia(mime);
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'audio/webm': 'weba',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

/** The download name: the one asked for (made safe), else the hash with an extension. */
export function downloadName(blob: BlobInfo, requested: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = (requested ?? '').replace(/[\u0000-\u001f\u007f/\\]/g, '').trim();
  if (cleaned !== '' && cleaned !== '.' && cleaned !== '..') return cleaned.slice(0, 200);
  return `${blob.sha256.slice(0, 16)}.${EXTENSIONS[blob.mime] ?? 'bin'}`;
}

function contentDisposition(mime: string, name: string): string {
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${isInline(mime) ? 'inline' : 'attachment'}; filename*=UTF-8''${encoded}`;
}

function etagMatches(header: string | null, etag: string): boolean {
  if (header === null) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; null = serve the whole file. */
export function parseRange(header: string | null, size: number): ByteRange {
  const m = header === null ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  const [first, last] = [m[1] ?? '', m[2] ?? ''];
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export interface ServeOptions {
  file: string;
  blob: BlobInfo;
  headers: Headers;
  /** ?name= of the request */
  name: string | undefined;
  /** HEAD: headers only, and no file opened that nobody would close */
  headOnly?: boolean;
}

export function blobResponse(options: ServeOptions): Response {
  const { file, blob, headers: req, name } = options;
  const etag = `"${blob.sha256}"`;
  const headers = new Headers({
    'Content-Type': servedType(blob.mime),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': BLOB_CSP,
    'Cache-Control': 'private, max-age=31536000, immutable',
    ETag: etag,
    'Accept-Ranges': 'bytes',
    'Content-Disposition': contentDisposition(blob.mime, downloadName(blob, name)),
  });
  if (etagMatches(req.get('if-none-match'), etag)) {
    return new Response(null, { status: 304, headers });
  }
  const ifRange = req.get('if-range');
  const range =
    ifRange === null || ifRange === etag ? parseRange(req.get('range'), blob.size) : null;
  if (range === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${blob.size}`);
    headers.set('Content-Length', '0');
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: blob.size - 1 };
  headers.set('Content-Length', String(end - start + 1));
  if (range) headers.set('Content-Range', `bytes ${start}-${end}/${blob.size}`);
  if (options.headOnly) return new Response(null, { status: range ? 206 : 200, headers });
  const stream = Readable.toWeb(createReadStream(file, { start, end }));
  return new Response(stream as ReadableStream<Uint8Array>, {
    status: range ? 206 : 200,
    headers,
  });
}
