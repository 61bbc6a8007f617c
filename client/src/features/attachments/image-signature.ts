// Recognizes raster images by their first bytes, so a photo renamed to "notes.dat" (or with no
// type at all) still goes through the classifier instead of being uploaded as a plain file.
const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0): boolean =>
  sig.every((b, i) => bytes[at + i] === b);

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** ISO-BMFF brands of still images (AVIF, HEIC/HEIF). */
const IMAGE_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'mif1', 'msf1']);

/** "BM" alone is too weak (text can start so): check the DIB header's size field too. */
const BMP_HEADER_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);
const isBmpInfoHeader = (head: Uint8Array): boolean =>
  BMP_HEADER_SIZES.has(head[14] ?? -1) && head[15] === 0 && head[16] === 0 && head[17] === 0;

/** `head`: at least the first 32 bytes of the file (fewer if the file is shorter). */
export function isImageSignature(head: Uint8Array): boolean {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return true; // PNG
  if (startsWith(head, [0xff, 0xd8, 0xff])) return true; // JPEG
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return true;
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return true;
  if (startsWith(head, ascii('BM')) && isBmpInfoHeader(head)) return true;
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a]))
    return true; // TIFF
  if (startsWith(head, ascii('ftyp'), 4)) {
    const brand = String.fromCharCode(...head.slice(8, 12));
    return IMAGE_BRANDS.has(brand);
  }
  return false;
}
