// Decides what an uploaded file is from its bytes: the type by magic bytes (file-type, plus
// sniffText for SVG/HTML/text), the dimensions of images from their headers (image-size),
// never by decoding pixels. Refuses a claimed image type the bytes do not bear out (415)
// and images over the pixel cap (413, decompression bombs).
import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import { imageSize } from 'image-size';
import { ErrorCode, isInlineImage } from '@canopy/shared';
import { BlobError } from './blob-error.js';
import { sniffText } from './sniff-text.js';

export interface BlobType {
  mime: string;
  width: number | null;
  height: number | null;
}

export interface InspectOptions {
  /** the client's Content-Type (parameters dropped), or null */
  claimed: string | null;
  maxPixels: number;
  /** only PNG/JPEG/GIF/WebP are accepted (avatars) */
  rasterOnly?: boolean;
}

/** Enough for the header of every format image-size reads, EXIF and ICC blocks included. */
const HEAD_BYTES = 1024 * 1024;

const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
};

/** Lower-cased media type without parameters; null when absent. */
export function normalizeMime(contentType: string | null | undefined): string | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === '') return null;
  return ALIASES[type] ?? type;
}

async function readHead(file: string, size: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const head = new Uint8Array(Math.min(size, HEAD_BYTES));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function detectMime(file: string, head: Uint8Array): Promise<string> {
  const detected = await fileTypeFromFile(file);
  // file-type calls anything starting with `<?xml` XML; SVG often does.
  if (detected === undefined || detected.mime === 'application/xml') return sniffText(head);
  // An animated PNG is a PNG to browsers and to every client that sends one.
  return detected.mime === 'image/apng' ? 'image/png' : detected.mime;
}

const unsupported = (message: string) =>
  new BlobError(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, message);

/** Width and height as displayed (EXIF orientations 5-8 swap them); null if unreadable. */
function dimensions(head: Uint8Array): { width: number; height: number } | null {
  try {
    const size = imageSize(head);
    if (!(size.width > 0 && size.height > 0)) return null;
    const swapped = size.orientation !== undefined && size.orientation >= 5;
    return swapped
      ? { width: size.height, height: size.width }
      : { width: size.width, height: size.height };
  } catch {
    return null;
  }
}

export async function inspectBlob(
  file: string,
  size: number,
  options: InspectOptions,
): Promise<BlobType> {
  const head = await readHead(file, size);
  const mime = await detectMime(file, head);
  const claimed = normalizeMime(options.claimed);
  if (claimed?.startsWith('image/') && claimed !== mime) {
    throw unsupported(`the file was sent as ${claimed} but its bytes are ${mime}`);
  }
  if (options.rasterOnly && !isInlineImage(mime)) {
    throw unsupported(`only PNG, JPEG, GIF or WebP images are accepted here, not ${mime}`);
  }
  // SVG is never rendered by the app (it downloads), so its declared size is not kept.
  if (!mime.startsWith('image/') || mime === 'image/svg+xml') {
    return { mime, width: null, height: null };
  }
  const dims = dimensions(head);
  if (dims === null) {
    if (isInlineImage(mime)) throw unsupported(`the ${mime} image header cannot be read`);
    return { mime, width: null, height: null };
  }
  if (dims.width * dims.height > options.maxPixels) {
    throw new BlobError(
      413,
      ErrorCode.PAYLOAD_TOO_LARGE,
      `the image has ${dims.width}x${dims.height} pixels; at most ${options.maxPixels} pixels are allowed`,
    );
  }
  return { mime, ...dims };
}
