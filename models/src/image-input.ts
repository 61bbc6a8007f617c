// Turns already-resized RGBA pixels (canvas ImageData) into the model's input tensor data,
// following the manifest's layout and normalization. Pure: resizing, EXIF orientation and
// decoding stay in the client, which must classify the same pixels it uploads.
import type { ClassifierManifest } from './manifest.js';

/** RGBA bytes (4 per pixel, row-major) of exactly input.width x input.height → Float32Array. */
export function imageDataToInput(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  manifest: ClassifierManifest,
): Float32Array {
  const { input } = manifest;
  if (width !== input.width || height !== input.height) {
    throw new Error(`expected ${input.width}x${input.height} pixels, got ${width}x${height}`);
  }
  const pixels = width * height;
  if (rgba.length !== pixels * 4) {
    throw new Error(`expected ${pixels * 4} RGBA bytes, got ${rgba.length}`);
  }
  const [s0, s1, s2] = input.normalization.scale;
  const [o0, o1, o2] = input.normalization.offset;
  const out = new Float32Array(pixels * 3);
  const nhwc = input.layout === 'NHWC';
  for (let p = 0; p < pixels; p++) {
    const r = (rgba[p * 4] as number) * s0 + o0;
    const g = (rgba[p * 4 + 1] as number) * s1 + o1;
    const b = (rgba[p * 4 + 2] as number) * s2 + o2;
    if (nhwc) {
      out[p * 3] = r;
      out[p * 3 + 1] = g;
      out[p * 3 + 2] = b;
    } else {
      out[p] = r;
      out[pixels + p] = g;
      out[2 * pixels + p] = b;
    }
  }
  return out;
}

/** The tensor shape for one image: [1, H, W, 3] or [1, 3, H, W]. */
export function inputShape(manifest: ClassifierManifest): [number, number, number, number] {
  const { height, width, channels, layout } = manifest.input;
  return layout === 'NHWC' ? [1, height, width, channels] : [1, channels, height, width];
}
