// Access to the uint8-quantized tfjs weights by name. Dequantization follows tfjs-core's
// io utils exactly (float32(q * scale + min)), so float weights match what tfjs computes with.
// Also reshapes/permutes tensors for ONNX layouts, on the raw uint8 values.
import type { WeightSpec } from './nsfwjs-source.js';

export interface QuantizedTensor {
  shape: number[];
  /** Raw uint8 codes, row-major in `shape`. */
  q: Uint8Array;
  scale: number;
  min: number;
}

export function createWeightStore(specs: WeightSpec[], data: Uint8Array) {
  const byName = new Map<string, QuantizedTensor>();
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    byName.set(spec.name, {
      shape: spec.shape,
      q: data.subarray(offset, offset + size),
      scale: spec.quantization.scale,
      min: spec.quantization.min,
    });
    offset += size;
  }
  const used = new Set<string>();
  return {
    get(name: string): QuantizedTensor {
      const t = byName.get(name);
      if (!t) throw new Error(`weight ${name} not found in the weights manifest`);
      used.add(name);
      return t;
    },
    /** Names never read: a converter that skipped weights is a bug, not a warning. */
    unused(): string[] {
      return [...byName.keys()].filter((n) => !used.has(n));
    },
  };
}

export type WeightStore = ReturnType<typeof createWeightStore>;

export function dequantize(t: QuantizedTensor): Float32Array {
  const out = new Float32Array(t.q.length);
  for (let i = 0; i < t.q.length; i++) out[i] = (t.q[i] as number) * t.scale + t.min;
  return out;
}

/**
 * The integer zero point `-min / scale`. tfjs's affine uint8 quantization nudges the range so
 * that 0.0 is exactly representable, which makes this an integer for kernels; anything else
 * cannot be expressed by DequantizeLinear and returns null.
 */
export function integerZeroPoint(t: QuantizedTensor): number | null {
  const zp = -t.min / t.scale;
  const rounded = Math.round(zp);
  return Math.abs(zp - rounded) < 1e-6 && rounded >= 0 && rounded <= 255 ? rounded : null;
}

/** Transposes a 4-D row-major array. `perm[i]` is the source axis of destination axis i. */
export function permute4<T extends Uint8Array | Float32Array>(
  src: T,
  shape: readonly number[],
  perm: readonly [number, number, number, number],
): { data: T; shape: number[] } {
  if (shape.length !== 4) throw new Error(`permute4 needs a 4-D shape, got [${shape.join(',')}]`);
  const dims = perm.map((p) => shape[p] as number);
  const srcStrides = [
    (shape[1] as number) * (shape[2] as number) * (shape[3] as number),
    (shape[2] as number) * (shape[3] as number),
    shape[3] as number,
    1,
  ];
  const s = perm.map((p) => srcStrides[p] as number);
  const out = new (src.constructor as new (n: number) => T)(src.length);
  const [d0, d1, d2, d3] = dims as [number, number, number, number];
  const [s0, s1, s2, s3] = s as [number, number, number, number];
  let o = 0;
  for (let a = 0; a < d0; a++)
    for (let b = 0; b < d1; b++)
      for (let c = 0; c < d2; c++)
        for (let d = 0; d < d3; d++) out[o++] = src[a * s0 + b * s1 + c * s2 + d * s3] as number;
  return { data: out, shape: dims };
}
