// Avatar pictures are made on the device: decoded (EXIF rotation applied), cover-cropped to
// the centre square, scaled to 256×256 and re-encoded as WebP (PNG where WebP cannot be
// encoded). Re-encoding drops every metadata block (GPS included) and keeps uploads a few
// KB, far below the server's 2 MB avatar limit.
import { AVATAR_SIZE, centreSquare } from './avatar-geometry.js';

const WEBP_QUALITY = 0.85;
/** A phone photo is a few MB; far larger files are not pictures anyone means as an avatar. */
const MAX_SOURCE_BYTES = 40 * 1024 * 1024;

export class AvatarImageError extends Error {
  override readonly name = 'AvatarImageError';
}

export async function makeAvatarImage(file: Blob): Promise<Blob> {
  if (file.size > MAX_SOURCE_BYTES) {
    throw new AvatarImageError('This picture is too large. Pick one under 40 MB.');
  }
  let source: ImageBitmap;
  try {
    source = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (cause) {
    throw new AvatarImageError('This file is not a picture that can be read.', { cause });
  }
  try {
    const crop = centreSquare(source.width, source.height);
    // The 'high' resize filters the whole source; a plain drawImage from 4000 px would alias.
    const sized = await createImageBitmap(source, crop.x, crop.y, crop.side, crop.side, {
      resizeWidth: AVATAR_SIZE,
      resizeHeight: AVATAR_SIZE,
      resizeQuality: 'high',
    });
    const canvas = new OffscreenCanvas(AVATAR_SIZE, AVATAR_SIZE);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new AvatarImageError('This browser cannot prepare pictures.');
    ctx.drawImage(sized, 0, 0);
    sized.close();
    // convertToBlob falls back to PNG where WebP encoding is missing; blob.type says which.
    return await canvas.convertToBlob({ type: 'image/webp', quality: WEBP_QUALITY });
  } finally {
    source.close();
  }
}

/** A sentence for a failure of makeAvatarImage. */
export function avatarImageMessage(err: unknown): string {
  return err instanceof AvatarImageError ? err.message : 'This picture could not be prepared.';
}
