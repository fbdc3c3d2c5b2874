/**
 * Compression figures for a 10 M-parameter update at each encoding: bytes on the wire, encode and
 * decode time (median of 3 runs), and the relative L2 error of one round's decoding (error feedback
 * sends the rest later). Values are Gaussian, as updates roughly are. Last line: a JSON object.
 */
import { createUpdateDecoder } from '../engine/codec/decode-update.ts';
import { createUpdateEncoder } from '../engine/codec/encode-update.ts';
import { decodeFloat32Update, encodeFloat32Update } from '../engine/codec/float32-update.ts';
import type { ErrorFeedback, UpdateEncoding } from '../engine/codec/update-codec.ts';
import { compressUpdate } from '../engine/codec/update-compression.ts';
import { specOf, tensor } from '../engine/tensor/parameter-set.ts';
import type { ParameterSet } from '../engine/tensor/parameter-set.ts';

const shapes: [string, number[]][] = [
  ['trunk.embedding.weight', [4000, 1250]],
  ['trunk.block0.ff.weight', [2500, 1600]],
  ['heads.classify.weight', [1000, 1000]],
];

function gaussianUpdate(): ParameterSet {
  const update = new Map();
  for (const [name, shape] of shapes) {
    const data = new Float32Array(shape[0]! * shape[1]!);
    for (let i = 0; i < data.length; i += 2) {
      const radius = 0.01 * Math.sqrt(-2 * Math.log(1 - Math.random()));
      const angle = 2 * Math.PI * Math.random();
      data[i] = radius * Math.cos(angle);
      if (i + 1 < data.length) data[i + 1] = radius * Math.sin(angle);
    }
    update.set(name, tensor(shape, data));
  }
  return update;
}

function medianMs(run: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[1]!;
}

function relativeError(update: ParameterSet, decoded: ParameterSet): number {
  let difference = 0;
  let norm = 0;
  for (const [name, value] of update) {
    const other = decoded.get(name)!.data;
    value.data.forEach((x, i) => {
      difference += (x - other[i]!) ** 2;
      norm += x * x;
    });
  }
  return Math.sqrt(difference / norm);
}

const update = gaussianUpdate();
const spec = specOf(update);
const parameters = spec.reduce((sum, s) => sum + s.shape[0]! * s.shape[1]!, 0);
const encode = createUpdateEncoder();
const decode = createUpdateDecoder();
const encodings: UpdateEncoding[] = [
  { quantization: 'none', topKFraction: 1 },
  { quantization: 'int8', topKFraction: 1 },
  { quantization: 'none', topKFraction: 0.1 },
  { quantization: 'int8', topKFraction: 0.1 },
  { quantization: 'none', topKFraction: 0.01 },
  { quantization: 'int8', topKFraction: 0.01 },
];

const rows = encodings.map((encoding) => {
  let bytes: Uint8Array = new Uint8Array(0);
  const encodeMs = medianMs(() => (bytes = encode(update, encoding).bytes));
  let decoded: ParameterSet = new Map();
  const decodeMs = medianMs(() => (decoded = decode(bytes, spec)));
  return {
    encoding: `${encoding.quantization === 'int8' ? 'int8' : 'float32'}${encoding.topKFraction < 1 ? ` top-${encoding.topKFraction}` : ' dense'}`,
    bytes: bytes.length,
    ratio: Number(((parameters * 4) / bytes.length).toFixed(2)),
    encode_ms: Math.round(encodeMs),
    decode_ms: Math.round(decodeMs),
    relative_l2_error: Number(relativeError(update, decoded).toPrecision(3)),
  };
});

/** The plain "float32-le" round encoding, for comparison with the codec's own dense float32. */
function float32LittleEndianRow() {
  let bytes: Uint8Array = new Uint8Array(0);
  const encodeMs = medianMs(() => (bytes = encodeFloat32Update(update, spec)));
  let decoded: ParameterSet = new Map();
  const decodeMs = medianMs(() => (decoded = decodeFloat32Update(bytes, spec)));
  return {
    encoding: 'float32-le',
    bytes: bytes.length,
    ratio: Number(((parameters * 4) / bytes.length).toFixed(2)),
    encode_ms: Math.round(encodeMs),
    decode_ms: Math.round(decodeMs),
    relative_l2_error: Number(relativeError(update, decoded).toPrecision(3)),
  };
}
rows.push(float32LittleEndianRow());

/**
 * What error feedback buys (update-compression.ts): the relative L2 error of the sum of `rounds` decoded top-k
 * updates against the sum of the updates, with the residual carried between rounds and without it.
 */
function errorFeedbackRow(fraction: number, rounds: number) {
  const sums = { updates: new Float64Array(parameters), withFeedback: new Float64Array(parameters) };
  const without = new Float64Array(parameters);
  let residual: ErrorFeedback | undefined;
  const add = (into: Float64Array, set: ParameterSet) => {
    let offset = 0;
    for (const { data } of set.values()) {
      for (let i = 0; i < data.length; i++) into[offset + i]! += data[i]!;
      offset += data.length;
    }
  };
  for (let round = 0; round < rounds; round++) {
    const next = gaussianUpdate();
    add(sums.updates, next);
    const compressed = compressUpdate(next, { method: 'topk', fraction }, residual);
    residual = compressed.residual;
    add(sums.withFeedback, decode(compressed.bytes, spec));
    add(without, decode(compressUpdate(next, { method: 'topk', fraction }).bytes, spec));
  }
  const error = (sum: Float64Array) => {
    let difference = 0;
    let norm = 0;
    sum.forEach((x, i) => {
      difference += (x - sums.updates[i]!) ** 2;
      norm += sums.updates[i]! ** 2;
    });
    return Number(Math.sqrt(difference / norm).toPrecision(3));
  };
  return { fraction, rounds, with_feedback: error(sums.withFeedback), without_feedback: error(without) };
}
const feedback = errorFeedbackRow(0.01, 5);

console.log(
  `update codec, ${parameters} parameters (${(parameters * 4) / 1e6} MB as float32), Node ${process.version}`,
);
console.log('encoding             bytes        ratio   encode ms  decode ms  rel. L2 error');
for (const row of rows) {
  console.log(
    `${row.encoding.padEnd(20)} ${String(row.bytes).padStart(10)}  ${String(row.ratio).padStart(7)}  ${String(row.encode_ms).padStart(9)}  ${String(row.decode_ms).padStart(9)}  ${row.relative_l2_error}`,
  );
}
console.log(
  `error feedback, top-${feedback.fraction} over ${feedback.rounds} rounds: rel. L2 error of the summed decoded updates ` +
    `${feedback.with_feedback} (without feedback: ${feedback.without_feedback})`,
);
console.log(JSON.stringify({ parameters, encodings: rows, error_feedback: feedback }));
