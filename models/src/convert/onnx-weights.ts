// Emits conv/dense weights as ONNX initializers, either as float32 or kept as uint8 codes
// behind a per-output-channel DequantizeLinear. A following BatchNormalization is folded in:
// for float weights by scaling them, for uint8 weights by scaling the per-channel dequantize
// scale, so the quantized codes stay exactly what nsfwjs ships.
import type { OnnxGraphBuilder } from './onnx-graph-builder.js';
import { dequantize, integerZeroPoint, type QuantizedTensor } from './quantized-weights.js';

export type WeightStorage = 'uint8' | 'float32';

/** Per-output-channel affine map y = x * mul + add (a folded BatchNormalization). */
export interface ChannelAffine {
  mul: Float64Array;
  add: Float64Array;
}

/**
 * Writes a kernel whose axis 0 is the output channel (ONNX Conv layout [O, I/g, kh, kw]).
 * `q` holds the codes already permuted into that layout.
 */
export function emitKernel(
  g: OnnxGraphBuilder,
  name: string,
  source: QuantizedTensor,
  q: Uint8Array,
  dims: number[],
  storage: WeightStorage,
  affine: ChannelAffine | null,
): string {
  const outChannels = dims[0] as number;
  const perChannel = q.length / outChannels;
  const zp = integerZeroPoint(source);
  if (storage === 'float32' || zp === null) {
    const w = dequantize({ ...source, q });
    if (affine) {
      for (let o = 0; o < outChannels; o++) {
        const m = affine.mul[o] as number;
        for (let i = o * perChannel; i < (o + 1) * perChannel; i++) w[i] = (w[i] as number) * m;
      }
    }
    return g.addFloat(name, dims, w);
  }
  // (q - zp) * scale * m, with m < 0 handled by flipping the codes: (255-q) - (255-zp) = zp - q.
  const codes = Uint8Array.from(q);
  const scales = new Float32Array(outChannels);
  const zeroPoints = new Uint8Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    const m = affine ? (affine.mul[o] as number) : 1;
    scales[o] = source.scale * Math.abs(m);
    zeroPoints[o] = m < 0 ? 255 - zp : zp;
    if (m < 0) {
      for (let i = o * perChannel; i < (o + 1) * perChannel; i++)
        codes[i] = 255 - (codes[i] as number);
    }
  }
  g.addUint8(`${name}_q`, dims, codes);
  g.addFloat(`${name}_scale`, [outChannels], scales);
  g.addUint8(`${name}_zero_point`, [outChannels], zeroPoints);
  return g.addNode({
    op: 'DequantizeLinear',
    name: `${name}_dequantize`,
    inputs: [`${name}_q`, `${name}_scale`, `${name}_zero_point`],
    outputs: [name],
    ints: { axis: 0 },
  })[0] as string;
}

/** Bias after folding: affine applied to the layer's own bias (or zero). */
export function emitBias(
  g: OnnxGraphBuilder,
  name: string,
  bias: Float32Array | null,
  channels: number,
  affine: ChannelAffine | null,
): string | null {
  if (!bias && !affine) return null;
  const out = new Float32Array(channels);
  for (let o = 0; o < channels; o++) {
    const b = bias ? (bias[o] as number) : 0;
    out[o] = affine ? b * (affine.mul[o] as number) + (affine.add[o] as number) : b;
  }
  return g.addFloat(name, [channels], out);
}

/** Inference-mode BatchNormalization as y = x * mul + add per channel (tfjs: (x-mean)*rsqrt(var+eps)*gamma+beta). */
export function batchNormAffine(
  gamma: Float32Array | null,
  beta: Float32Array | null,
  mean: Float32Array,
  variance: Float32Array,
  epsilon: number,
): ChannelAffine {
  const n = mean.length;
  const mul = new Float64Array(n);
  const add = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const s = (gamma ? (gamma[c] as number) : 1) / Math.sqrt((variance[c] as number) + epsilon);
    mul[c] = s;
    add[c] = (beta ? (beta[c] as number) : 0) - (mean[c] as number) * s;
  }
  return { mul, add };
}
