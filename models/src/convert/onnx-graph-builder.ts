// Small typed builder over the generated ONNX protobuf classes (onnx-proto): collects
// initializers, nodes and graph inputs/outputs, then encodes one ModelProto.
// It knows nothing about Keras; names must be unique and it fails loudly if they are not.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export const tensorType = {
  float: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int64: onnx.TensorProto.DataType.INT64,
} as const;
export type TensorType = (typeof tensorType)[keyof typeof tensorType];

export type AttributeValue = number | number[] | string;
/** Integer attributes are written as INT(S); a number listed in `floats` as FLOAT. */
export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  ints?: Record<string, number | number[]>;
  floats?: Record<string, number>;
}

export interface ModelMeta {
  producerName: string;
  producerVersion: string;
  docString: string;
  opset: number;
  metadata: Record<string, string>;
}

/** A value info with a symbolic first (batch) dimension. */
export interface IoSpec {
  name: string;
  dims: (number | string)[];
}

export function createOnnxGraphBuilder(graphName: string) {
  const initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  const nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  const names = new Set<string>();

  const claim = (name: string): string => {
    if (names.has(name)) throw new Error(`duplicate ONNX value name: ${name}`);
    names.add(name);
    return name;
  };

  const valueInfo = (io: IoSpec) =>
    onnx.ValueInfoProto.create({
      name: io.name,
      type: {
        tensorType: {
          elemType: tensorType.float,
          shape: {
            dim: io.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
          },
        },
      },
    });

  return {
    /** Adds a float32 initializer; the data is copied as little-endian raw bytes. */
    addFloat(name: string, dims: number[], data: Float32Array): string {
      return this.addRaw(
        name,
        dims,
        tensorType.float,
        new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      );
    },
    addUint8(name: string, dims: number[], data: Uint8Array): string {
      return this.addRaw(name, dims, tensorType.uint8, data);
    },
    addInt64(name: string, dims: number[], values: number[]): string {
      const data = new BigInt64Array(values.map((v) => BigInt(v)));
      return this.addRaw(name, dims, tensorType.int64, new Uint8Array(data.buffer));
    },
    addRaw(name: string, dims: number[], dataType: TensorType, raw: Uint8Array): string {
      const expected = dims.reduce((a, b) => a * b, 1) * bytesPer(dataType);
      if (raw.byteLength !== expected) {
        throw new Error(
          `initializer ${name}: ${raw.byteLength} bytes for dims [${dims.join(',')}]`,
        );
      }
      initializers.push(
        onnx.TensorProto.create({
          name: claim(name),
          dims,
          dataType,
          rawData: Uint8Array.from(raw),
        }),
      );
      return name;
    },
    addNode(spec: NodeSpec): string[] {
      const attribute = [
        ...Object.entries(spec.ints ?? {}).map(([name, v]) =>
          Array.isArray(v)
            ? { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v }
            : { name, type: onnx.AttributeProto.AttributeType.INT, i: v },
        ),
        ...Object.entries(spec.floats ?? {}).map(([name, f]) => ({
          name,
          type: onnx.AttributeProto.AttributeType.FLOAT,
          f,
        })),
      ];
      spec.outputs.forEach(claim);
      nodes.push(
        onnx.NodeProto.create({
          name: spec.name,
          opType: spec.op,
          input: spec.inputs,
          output: spec.outputs,
          attribute,
        }),
      );
      return spec.outputs;
    },
    /** Encodes the model; input and output are float tensors. */
    encode(meta: ModelMeta, input: IoSpec, output: IoSpec): Uint8Array {
      claim(input.name);
      const model = onnx.ModelProto.create({
        irVersion: 7,
        opsetImport: [{ domain: '', version: meta.opset }],
        producerName: meta.producerName,
        producerVersion: meta.producerVersion,
        docString: meta.docString,
        metadataProps: Object.entries(meta.metadata).map(([key, value]) => ({ key, value })),
        graph: {
          name: graphName,
          node: nodes,
          initializer: initializers,
          input: [valueInfo(input)],
          output: [valueInfo(output)],
        },
      });
      return onnx.ModelProto.encode(model).finish();
    },
    get nodeCount(): number {
      return nodes.length;
    },
  };
}

export type OnnxGraphBuilder = ReturnType<typeof createOnnxGraphBuilder>;

function bytesPer(t: TensorType): number {
  switch (t) {
    case tensorType.float:
      return 4;
    case tensorType.uint8:
      return 1;
    case tensorType.int64:
      return 8;
    default:
      throw new Error(`unsupported tensor type ${String(t)}`);
  }
}
