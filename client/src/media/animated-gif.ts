// Animated GIFs keep their animation: the original bytes are uploaded (a GIF holds no EXIF or
// GPS block) once every frame passed the classifier. An image is judged by what it will show,
// and a GIF shows all of its frames. Frames come from WebCodecs' ImageDecoder, composited as a
// browser shows them. A GIF that is not animated, larger than MAX_ANIMATION_BYTES, over
// MAX_FRAMES frames or over MAX_IMAGE_EDGE, or a browser without ImageDecoder, gets `null`:
// the caller then prepares its first frame as a still image. Runs in the image worker.
import { MAX_IMAGE_EDGE } from '@canopy/shared';
import type { UploadPixels } from './image-pipeline.js';

/** Larger GIFs go out as a still image (their first frame). */
export const MAX_ANIMATION_BYTES = 10 * 1024 * 1024;
/** Every frame is classified (~30 ms each): longer animations go out as a still image. */
export const MAX_FRAMES = 150;

export interface Animation {
  width: number;
  height: number;
  frameCount: number;
  /** Each frame as upload pixels, in order; the decoder is closed when the loop ends. */
  frames(): AsyncGenerator<UploadPixels>;
  close(): void;
}

const GIF_SIGNATURE = [0x47, 0x49, 0x46, 0x38]; // "GIF8"

async function isGif(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return GIF_SIGNATURE.every((b, i) => head[i] === b);
}

export async function openAnimation(file: Blob): Promise<Animation | null> {
  if (typeof ImageDecoder === 'undefined' || file.size > MAX_ANIMATION_BYTES) return null;
  if (!(await isGif(file))) return null;
  const decoder = new ImageDecoder({ data: await file.arrayBuffer(), type: 'image/gif' });
  try {
    await decoder.tracks.ready;
    await decoder.completed;
    const track = decoder.tracks.selectedTrack;
    const frameCount = track?.frameCount ?? 0;
    if (!track?.animated || frameCount < 2 || frameCount > MAX_FRAMES) {
      decoder.close();
      return null;
    }
    const first = await decoder.decode({ frameIndex: 0 });
    const width = first.image.displayWidth;
    const height = first.image.displayHeight;
    first.image.close();
    if (width > MAX_IMAGE_EDGE || height > MAX_IMAGE_EDGE) {
      decoder.close();
      return null;
    }
    return {
      width,
      height,
      frameCount,
      async *frames() {
        const canvas = new OffscreenCanvas(width, height);
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2D canvas in this worker');
        for (let i = 0; i < frameCount; i++) {
          const { image } = await decoder.decode({ frameIndex: i });
          ctx.clearRect(0, 0, width, height);
          ctx.drawImage(image, 0, 0, width, height);
          image.close();
          yield { canvas, width, height, hasAlpha: true };
        }
      },
      close: () => decoder.close(),
    };
  } catch {
    // Not decodable as an animation here: the still-image path decides what it is.
    decoder.close();
    return null;
  }
}
