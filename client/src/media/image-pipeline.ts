// Worker-side image preparation: decode (EXIF orientation applied), downscale to the upload
// size, re-encode (which drops every metadata block, GPS included), and derive the pixels the
// classifier and the thumbhash see from those same upload pixels. Needs OffscreenCanvas;
// runs only in the image worker so the page never blocks on a 12-megapixel decode.
import { MAX_IMAGE_EDGE } from '@canopy/shared';
import { rgbaToThumbHash } from 'thumbhash';
import { bytesToBase64, fitWithin, thumbhashSize } from './image-geometry.js';
import { WorkerErrorCode } from './image-worker-protocol.js';

/** JPEG quality for photos; WebP (or PNG where WebP encoding is missing) keeps transparency. */
const JPEG_QUALITY = 0.85;
const WEBP_QUALITY = 0.85;
/** Sources that can carry transparency; anything else is encoded as JPEG without a scan. */
const OPAQUE_TYPES = new Set(['image/jpeg', 'image/jpg', 'image/pjpeg']);

export class PipelineError extends Error {
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PipelineError';
  }
}

/** The downscaled, orientation-corrected pixels that will be uploaded. */
export interface UploadPixels {
  canvas: OffscreenCanvas;
  width: number;
  height: number;
  hasAlpha: boolean;
}

export async function decodeAndResize(file: Blob): Promise<UploadPixels> {
  let source: ImageBitmap;
  try {
    source = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (err) {
    throw new PipelineError(
      WorkerErrorCode.decode,
      'This file is not an image that can be shown.',
      {
        cause: err,
      },
    );
  }
  try {
    const { width, height } = fitWithin(source.width, source.height, MAX_IMAGE_EDGE);
    // createImageBitmap's 'high' resize filters the whole source (a plain bilinear drawImage
    // from 4000 px to 2048 px would alias), and it runs off the JS thread in Chromium.
    const sized =
      width === source.width && height === source.height
        ? source
        : await createImageBitmap(source, {
            resizeWidth: width,
            resizeHeight: height,
            resizeQuality: 'high',
          });
    const canvas = new OffscreenCanvas(width, height);
    const ctx = context2d(canvas);
    ctx.drawImage(sized, 0, 0);
    if (sized !== source) sized.close();
    const hasAlpha = !OPAQUE_TYPES.has(file.type) && anyTransparent(ctx, width, height);
    return { canvas, width, height, hasAlpha };
  } finally {
    source.close();
  }
}

/** Re-encodes the upload pixels; the canvas has no metadata, so none survives. */
export async function encodeUpload(pixels: UploadPixels): Promise<Blob> {
  if (!pixels.hasAlpha) {
    return pixels.canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
  }
  // convertToBlob falls back to PNG where WebP encoding is unsupported; blob.type says which.
  return pixels.canvas.convertToBlob({ type: 'image/webp', quality: WEBP_QUALITY });
}

/**
 * The model's input pixels: the upload pixels stretched to width × height (manifest
 * "stretch-bilinear"), composited over white so transparent areas read as background.
 */
export function modelPixels(pixels: UploadPixels, width: number, height: number): ImageData {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = context2d(canvas, { alpha: false });
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  // 'medium' is bilinear over a mipmap: bilinear like the manifest asks, without the aliasing
  // of sampling 4 of every ~80 source pixels when going from 2048 to 224.
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'medium';
  ctx.drawImage(pixels.canvas, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height);
}

export function thumbhashOf(pixels: UploadPixels): string {
  const { width, height } = thumbhashSize(pixels.width, pixels.height);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = context2d(canvas);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(pixels.canvas, 0, 0, width, height);
  const { data } = ctx.getImageData(0, 0, width, height);
  return bytesToBase64(rgbaToThumbHash(width, height, data));
}

function context2d(
  canvas: OffscreenCanvas,
  settings?: CanvasRenderingContext2DSettings,
): OffscreenCanvasRenderingContext2D {
  const ctx = canvas.getContext('2d', { ...settings, willReadFrequently: false });
  if (!ctx) throw new PipelineError(WorkerErrorCode.internal, 'no 2D canvas in this worker');
  return ctx;
}

/** Scans alpha in row bands so a 2048² image never needs a second 16 MB buffer at once. */
function anyTransparent(ctx: OffscreenCanvasRenderingContext2D, w: number, h: number): boolean {
  const band = Math.max(1, Math.floor((1 << 20) / w));
  for (let y = 0; y < h; y += band) {
    const rows = Math.min(band, h - y);
    const { data } = ctx.getImageData(0, y, w, rows);
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return true;
  }
  return false;
}
