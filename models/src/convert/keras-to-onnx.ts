// Converts a Keras (tfjs layers format) functional model to an ONNX graph, layer by layer.
// Graph input is NHWC like Keras (one Transpose to NCHW inside); convolutions run NCHW.
// Fusions done here: ZeroPadding2D into the next valid conv's pads, BatchNormalization into
// the preceding conv. Unknown layers or configs throw: a silent approximation breaks parity.
import {
  convSchema,
  bnSchema,
  reluSchema,
  padSchema,
  poolSchema,
  denseSchema,
  inputSchema,
} from './keras-layer-configs.js';
import type { KerasLayer, NsfwjsModelJson } from './nsfwjs-source.js';
import type { OnnxGraphBuilder } from './onnx-graph-builder.js';
import {
  batchNormAffine,
  emitBias,
  emitKernel,
  type ChannelAffine,
  type WeightStorage,
} from './onnx-weights.js';
import { dequantize, permute4, type WeightStore } from './quantized-weights.js';

/** A value in the graph: NCHW feature map (h, w > 0) or a flat [N, c] vector (h = w = 0). */
interface Value {
  name: string;
  c: number;
  h: number;
  w: number;
}

export interface ConvertOptions {
  inputName: string;
  outputName: string;
  storage: WeightStorage;
}

export function convertKerasModel(
  model: NsfwjsModelJson,
  weights: WeightStore,
  g: OnnxGraphBuilder,
  opts: ConvertOptions,
): { inputShape: [number, number, number]; classes: number } {
  const layers = model.modelTopology.model_config.config.layers;
  const consumers = new Map<string, KerasLayer[]>();
  for (const layer of layers) {
    for (const [src] of layer.inbound_nodes.flat())
      consumers.set(src, [...(consumers.get(src) ?? []), layer]);
  }
  const soleConsumer = (name: string): KerasLayer | undefined => {
    const c = consumers.get(name);
    return c?.length === 1 ? c[0] : undefined;
  };
  const values = new Map<string, Value>();
  /** Pending zero padding (top, bottom, left, right) to fold into the consuming conv. */
  const pendingPads = new Map<string, [number, number, number, number]>();
  let inputShape: [number, number, number] | null = null;
  const f32 = (name: string) => dequantize(weights.get(name));
  const clipBounds = new Map<number, [string, string]>();
  /** Clip(0, max) bounds, one pair of scalar initializers per distinct max (ReLU6: 6). */
  const clip = (max: number): [string, string] => {
    let b = clipBounds.get(max);
    if (!b) {
      const id = String(clipBounds.size);
      b = [
        g.addFloat(`relu_min_${id}`, [], new Float32Array([0])),
        g.addFloat(`relu_max_${id}`, [], new Float32Array([max])),
      ];
      clipBounds.set(max, b);
    }
    return b;
  };

  const inputOf = (layer: KerasLayer, i = 0): Value => {
    const ref = layer.inbound_nodes[0]?.[i];
    const v = ref && values.get(ref[0]);
    if (!v) throw new Error(`layer ${layer.name}: input ${i} not converted yet`);
    return v;
  };
  const activation = (name: string, act: 'linear' | 'relu' | 'softmax', v: Value): Value => {
    if (act === 'linear') return v;
    const op = act === 'relu' ? 'Relu' : 'Softmax';
    if (act === 'softmax' && v.h !== 0) throw new Error(`${name}: softmax on a feature map`);
    const [out] = g.addNode({
      op,
      name: `${name}_${op}`,
      inputs: [v.name],
      outputs: [`${name}_${act}`],
      ...(act === 'softmax' ? { ints: { axis: 1 } } : {}),
    });
    return { ...v, name: out as string };
  };

  for (const layer of layers) {
    const name = layer.name;
    const cfg = layer.config;
    if (values.has(name)) continue; // produced by a fusion with the previous layer
    if (layer.inbound_nodes.length > 1)
      throw new Error(`${name}: shared (reused) layers are not supported`);
    switch (layer.class_name) {
      case 'InputLayer': {
        const [, h, w, c] = inputSchema.parse(cfg).batch_input_shape;
        inputShape = [h, w, c];
        const [out] = g.addNode({
          op: 'Transpose',
          name: 'input_to_nchw',
          inputs: [opts.inputName],
          outputs: ['input_nchw'],
          ints: { perm: [0, 3, 1, 2] },
        });
        values.set(name, { name: out as string, c, h, w });
        break;
      }
      case 'ZeroPadding2D': {
        const [[top, bottom], [left, right]] = padSchema.parse(cfg).padding;
        const v = inputOf(layer);
        const next = soleConsumer(name);
        const nextPadding =
          next && ['Conv2D', 'DepthwiseConv2D'].includes(next.class_name)
            ? next.config['padding']
            : null;
        if (nextPadding === 'valid') {
          pendingPads.set(name, [top, bottom, left, right]);
          values.set(name, { ...v, h: v.h + top + bottom, w: v.w + left + right });
        } else {
          const pads = g.addInt64(`${name}_pads`, [8], [0, 0, top, left, 0, 0, bottom, right]);
          const [out] = g.addNode({ op: 'Pad', name, inputs: [v.name, pads], outputs: [name] });
          values.set(name, {
            name: out as string,
            c: v.c,
            h: v.h + top + bottom,
            w: v.w + left + right,
          });
        }
        break;
      }
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        const c = convSchema.parse(cfg);
        const src = inputOf(layer);
        const srcRef = layer.inbound_nodes[0]?.[0]?.[0] ?? '';
        const folded = pendingPads.get(srcRef);
        const inH = folded ? src.h - folded[0] - folded[1] : src.h;
        const inW = folded ? src.w - folded[2] - folded[3] : src.w;
        const [kh, kw] = c.kernel_size;
        const [sh, sw] = c.strides;
        let pads: [number, number, number, number] = folded ?? [0, 0, 0, 0]; // top, bottom, left, right
        if (c.padding === 'same') {
          if (folded) throw new Error(`${name}: ZeroPadding2D before a 'same' conv is not folded`);
          pads = [...samePads(src.h, kh, sh), ...samePads(src.w, kw, sw)];
        }
        const depthwise = layer.class_name === 'DepthwiseConv2D';
        const kernel = weights.get(`${name}/${depthwise ? 'depthwise_kernel' : 'kernel'}`);
        const outC = depthwise ? src.c * (c.depth_multiplier ?? 1) : (c.filters ?? 0);
        const onnxKernel = depthwise
          ? { ...permute4(kernel.q, kernel.shape, [2, 3, 0, 1]), shape: [outC, 1, kh, kw] }
          : permute4(kernel.q, kernel.shape, [3, 2, 0, 1]);
        const bias = c.use_bias ? f32(`${name}/bias`) : null;
        const bn = c.activation === 'linear' ? soleConsumer(name) : undefined;
        const affine = bn?.class_name === 'BatchNormalization' ? bnAffine(bn, weights) : null;
        const outName = affine && bn ? bn.name : name;
        const w = emitKernel(
          g,
          `${name}_W`,
          kernel,
          onnxKernel.data,
          onnxKernel.shape,
          opts.storage,
          affine,
        );
        const b = emitBias(g, `${name}_B`, bias, outC, affine);
        const [out] = g.addNode({
          op: 'Conv',
          name,
          inputs: b ? [src.name, w, b] : [src.name, w],
          outputs: [outName],
          ints: {
            kernel_shape: [kh, kw],
            strides: [sh, sw],
            pads: [pads[0], pads[2], pads[1], pads[3]],
            dilations: [1, 1],
            group: depthwise ? src.c : 1,
          },
        });
        const v: Value = {
          name: out as string,
          c: outC,
          h: Math.floor((inH + pads[0] + pads[1] - kh) / sh) + 1,
          w: Math.floor((inW + pads[2] + pads[3] - kw) / sw) + 1,
        };
        values.set(outName, activation(outName, c.activation, v));
        break;
      }
      case 'BatchNormalization': {
        // Only reached when the producer could not absorb it (not a conv, or shared output).
        const v = inputOf(layer);
        const a = bnAffine(layer, weights);
        const scale = g.addFloat(`${name}_mul`, [v.c, 1, 1], Float32Array.from(a.mul));
        const shift = g.addFloat(`${name}_add`, [v.c, 1, 1], Float32Array.from(a.add));
        if (v.h === 0) throw new Error(`${name}: BatchNormalization on a flat tensor`);
        g.addNode({
          op: 'Mul',
          name: `${name}_scale`,
          inputs: [v.name, scale],
          outputs: [`${name}_scaled`],
        });
        const [out] = g.addNode({
          op: 'Add',
          name,
          inputs: [`${name}_scaled`, shift],
          outputs: [name],
        });
        values.set(name, { ...v, name: out as string });
        break;
      }
      case 'ReLU': {
        const max = reluSchema.parse(cfg).max_value ?? null;
        const v = inputOf(layer);
        const [out] =
          max === null
            ? g.addNode({ op: 'Relu', name, inputs: [v.name], outputs: [name] })
            : g.addNode({ op: 'Clip', name, inputs: [v.name, ...clip(max)], outputs: [name] });
        values.set(name, { ...v, name: out as string });
        break;
      }
      case 'Add': {
        const inputs = (layer.inbound_nodes[0] ?? []).map((_, i) => inputOf(layer, i));
        if (inputs.length !== 2) throw new Error(`${name}: Add of ${inputs.length} inputs`);
        const [out] = g.addNode({
          op: 'Add',
          name,
          inputs: inputs.map((v) => v.name),
          outputs: [name],
        });
        values.set(name, { ...(inputs[0] as Value), name: out as string });
        break;
      }
      case 'AveragePooling2D':
      case 'GlobalAveragePooling2D': {
        const v = inputOf(layer);
        if (layer.class_name === 'AveragePooling2D') {
          const p = poolSchema.parse(cfg);
          if (p.pool_size[0] !== v.h || p.pool_size[1] !== v.w)
            throw new Error(`${name}: only whole-map average pooling is mapped`);
        }
        const [out] = g.addNode({
          op: 'GlobalAveragePool',
          name,
          inputs: [v.name],
          outputs: [name],
        });
        const pooled: Value = { name: out as string, c: v.c, h: 1, w: 1 };
        values.set(
          name,
          layer.class_name === 'GlobalAveragePooling2D'
            ? flatten(g, `${name}_flat`, pooled)
            : pooled,
        );
        break;
      }
      case 'Flatten':
        values.set(name, flatten(g, name, inputOf(layer)));
        break;
      case 'Dropout':
        values.set(name, inputOf(layer)); // inference: identity
        break;
      case 'Dense': {
        const d = denseSchema.parse(cfg);
        const v = inputOf(layer);
        const kernel = weights.get(`${name}/kernel`);
        const [inF, outF] = kernel.shape as [number, number];
        if (v.h !== 0 || v.c !== inF)
          throw new Error(`${name}: expects ${inF} features, got ${v.c}`);
        const t = permute4(kernel.q, [1, 1, inF, outF], [0, 1, 3, 2]); // [out, in] for transB
        const w = emitKernel(g, `${name}_W`, kernel, t.data, [outF, inF], opts.storage, null);
        const b = emitBias(g, `${name}_B`, d.use_bias ? f32(`${name}/bias`) : null, outF, null);
        const [out] = g.addNode({
          op: 'Gemm',
          name,
          inputs: b ? [v.name, w, b] : [v.name, w],
          outputs: [name],
          ints: { transB: 1 },
        });
        values.set(
          name,
          activation(name, d.activation, { name: out as string, c: outF, h: 0, w: 0 }),
        );
        break;
      }
      default:
        throw new Error(`unsupported Keras layer ${layer.class_name} (${name})`);
    }
  }
  const [outputLayer] = model.modelTopology.model_config.config.output_layers[0] ?? [];
  const result = outputLayer === undefined ? undefined : values.get(outputLayer);
  if (!result || !inputShape || result.h !== 0)
    throw new Error('model output is not a flat class vector');
  g.addNode({ op: 'Identity', name: 'output', inputs: [result.name], outputs: [opts.outputName] });
  const unused = weights.unused();
  if (unused.length > 0) throw new Error(`weights left unconverted: ${unused.join(', ')}`);
  return { inputShape, classes: result.c };
}

/** TensorFlow 'same' padding: the odd pixel goes after (bottom/right), unlike ONNX SAME_LOWER. */
function samePads(size: number, k: number, s: number): [number, number] {
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + k - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

function bnAffine(layer: KerasLayer, weights: WeightStore): ChannelAffine {
  const bn = bnSchema.parse(layer.config);
  const get = (w: string) => dequantize(weights.get(`${layer.name}/${w}`));
  return batchNormAffine(
    bn.scale ? get('gamma') : null,
    bn.center ? get('beta') : null,
    get('moving_mean'),
    get('moving_variance'),
    bn.epsilon,
  );
}

/** Keras flattens channels-last (HWC order); a 1x1 map flattens the same either way. */
function flatten(g: OnnxGraphBuilder, name: string, v: Value): Value {
  if (v.h === 0) return v;
  let src = v.name;
  if (v.h !== 1 || v.w !== 1) {
    [src] = g.addNode({
      op: 'Transpose',
      name: `${name}_nhwc`,
      inputs: [v.name],
      outputs: [`${name}_nhwc`],
      ints: { perm: [0, 2, 3, 1] },
    }) as [string];
  }
  const [out] = g.addNode({
    op: 'Flatten',
    name,
    inputs: [src],
    outputs: [name],
    ints: { axis: 1 },
  });
  return { name: out as string, c: v.c * v.h * v.w, h: 0, w: 0 };
}
