/**
 * Serializes a Graph to an ONNX ModelProto (opset 20, standard domain only), encoded with protobufjs from the
 * vendored resources/proto/onnx/onnx.proto. Tensor data goes in raw_data (little-endian, as ONNX requires).
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { Attribute, DataType, Graph, Initializer, Node, TensorData, Value } from './ir.ts';

export const opsetVersion = 20;
/** IR version 9 is the first that opset 20 may use. */
export const irVersion = 9;

const protoPath = fileURLToPath(new URL('../../resources/proto/onnx/onnx.proto', import.meta.url));
let modelType: protobuf.Type | undefined;

function modelProtoType(): protobuf.Type {
  modelType ??= new protobuf.Root().loadSync(protoPath, { keepCase: true }).lookupType('onnx.ModelProto');
  return modelType;
}

const elemType: Record<DataType, number> = { float32: 1, int64: 7, bool: 9, float64: 11 };

function littleEndianBytes(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function tensorProto(tensor: Initializer): object {
  return {
    name: tensor.name,
    dims: tensor.shape,
    data_type: elemType[tensor.dtype],
    raw_data: littleEndianBytes(tensor.data),
  };
}

function valueInfo(value: Value): object {
  const dim = value.shape.map((size) => ({ dim_value: size }));
  return { name: value.name, type: { tensor_type: { elem_type: elemType[value.dtype], shape: { dim } } } };
}

function attributeProto(name: string, attribute: Attribute): object {
  switch (attribute.type) {
    case 'int':
      return { name, type: 2, i: attribute.value };
    case 'float':
      return { name, type: 1, f: attribute.value };
    case 'ints':
      return { name, type: 7, ints: attribute.value };
    case 'floats':
      return { name, type: 6, floats: attribute.value };
    case 'string':
      return { name, type: 3, s: new TextEncoder().encode(attribute.value) };
    case 'tensor':
      return { name, type: 4, t: tensorProto(attribute.value) };
  }
}

function nodeProto(node: Node): object {
  return {
    name: node.name,
    op_type: node.opType,
    domain: '',
    // An absent optional input is the empty name in ONNX.
    input: node.inputs.map((input) => input?.name ?? ''),
    output: node.outputs.map((output) => output.name),
    attribute: [...node.attributes].map(([name, attribute]) => attributeProto(name, attribute)),
  };
}

/** Plain-object form of the ModelProto (field names as in onnx.proto). */
export function graphToModelObject(graph: Graph): object {
  if (graph.outputs.length === 0) throw new Error(`graph "${graph.name}" has no outputs`);
  return {
    ir_version: irVersion,
    producer_name: 'accord',
    producer_version: '0.1.0',
    opset_import: [{ domain: '', version: opsetVersion }],
    graph: {
      name: graph.name,
      node: graph.nodes.map(nodeProto),
      initializer: [...graph.initializers.values()].map(tensorProto),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
  };
}

/** The encoded ModelProto bytes, ready for an onnxruntime session. */
export function serializeGraph(graph: Graph): Uint8Array {
  const type = modelProtoType();
  return type.encode(type.fromObject(graphToModelObject(graph))).finish();
}

/** Decodes ModelProto bytes back to a plain object, for inspection and tests. */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  const type = modelProtoType();
  return type.toObject(type.decode(bytes), { longs: Number, bytes: Array, defaults: false }) as Record<string, unknown>;
}
