/**
 * An independent float64 forward pass of the Llama-family trunk, in plain loops over Float64Array, written from
 * the published definitions (RMSNorm; rotary positions pairing feature i with i + Dh/2; grouped-query attention
 * where query head h reads key/value head ⌊h·Hkv/H⌋; SwiGLU), over our parameter layout (weights [in, out]).
 */
import type { TransformerConfig } from '../../../engine/nn/transformer.ts';
import type { Float32Tensor } from '../../../engine/tensor/parameter-set.ts';

type Params = ReadonlyMap<string, Float32Tensor>;

function param(params: Params, name: string): Float32Array {
  const value = params.get(name);
  if (!value) throw new Error(`reference: no parameter ${name}`);
  return value.data;
}

function project(x: Float64Array, rows: number, params: Params, name: string, out: number): Float64Array {
  const weight = param(params, `${name}.weight`);
  const inFeatures = weight.length / out;
  const bias = params.get(`${name}.bias`)?.data;
  const y = new Float64Array(rows * out);
  for (let r = 0; r < rows; r += 1)
    for (let o = 0; o < out; o += 1) {
      let sum = bias ? bias[o]! : 0;
      for (let i = 0; i < inFeatures; i += 1) sum += x[r * inFeatures + i]! * weight[i * out + o]!;
      y[r * out + o] = sum;
    }
  return y;
}

function rmsNormRows(x: Float64Array, width: number, weight: Float32Array, epsilon: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < x.length / width; r += 1) {
    let meanSquare = 0;
    for (let c = 0; c < width; c += 1) meanSquare += x[r * width + c]! ** 2 / width;
    const scale = 1 / Math.sqrt(meanSquare + epsilon);
    for (let c = 0; c < width; c += 1) y[r * width + c] = x[r * width + c]! * scale * weight[c]!;
  }
  return y;
}

/** Rotates each head's pairs (i, i + Dh/2) of row (b, t) by t·θ^(-2i/Dh), in place. */
function rotate(x: Float64Array, sequence: number, heads: number, headWidth: number, theta: number): void {
  const half = headWidth / 2;
  const width = heads * headWidth;
  for (let row = 0; row < x.length / width; row += 1) {
    const t = row % sequence;
    for (let h = 0; h < heads; h += 1)
      for (let i = 0; i < half; i += 1) {
        const angle = t / theta ** ((2 * i) / headWidth);
        const [a, b] = [row * width + h * headWidth + i, row * width + h * headWidth + i + half];
        const [x1, x2] = [x[a]!, x[b]!];
        x[a] = x1 * Math.cos(angle) - x2 * Math.sin(angle);
        x[b] = x2 * Math.cos(angle) + x1 * Math.sin(angle);
      }
  }
}

interface AttentionInputs {
  q: Float64Array;
  k: Float64Array;
  v: Float64Array;
  mask: readonly number[];
  batch: number;
  sequence: number;
}

function attend(inputs: AttentionInputs, config: TransformerConfig): Float64Array {
  const { q, k, v, mask, batch, sequence } = inputs;
  const [heads, kvHeads] = [config.heads, config.kvHeads ?? config.heads];
  const headWidth = config.dModel / heads;
  const context = new Float64Array(batch * sequence * config.dModel);
  for (let b = 0; b < batch; b += 1)
    for (let h = 0; h < heads; h += 1) {
      const g = Math.floor((h * kvHeads) / heads);
      for (let tq = 0; tq < sequence; tq += 1) {
        const scores: number[] = [];
        for (let tk = 0; tk <= tq; tk += 1) {
          if (mask[b * sequence + tk] === 0) continue;
          let dot = 0;
          for (let i = 0; i < headWidth; i += 1)
            dot +=
              q[(b * sequence + tq) * heads * headWidth + h * headWidth + i]! *
              k[(b * sequence + tk) * kvHeads * headWidth + g * headWidth + i]!;
          scores[tk] = dot / Math.sqrt(headWidth);
        }
        const top = Math.max(...scores.filter((s) => s !== undefined));
        let total = 0;
        scores.forEach((s) => (total += Math.exp(s - top)));
        scores.forEach((s, tk) => {
          const weight = Math.exp(s - top) / total;
          for (let i = 0; i < headWidth; i += 1)
            context[(b * sequence + tq) * config.dModel + h * headWidth + i]! +=
              weight * v[(b * sequence + tk) * kvHeads * headWidth + g * headWidth + i]!;
        });
      }
    }
  return context;
}

/** Hidden states [B·T, d] after the final RMSNorm. */
export function llamaReferenceForward(
  config: TransformerConfig,
  params: Params,
  ids: readonly number[],
  mask: readonly number[],
  batch: number,
): Float64Array {
  const { dModel: d, heads, ffDim: ff } = config;
  const [sequence, rows] = [ids.length / batch, ids.length];
  const kvWidth = (config.kvHeads ?? heads) * (d / heads);
  const [epsilon, theta] = [config.layerNormEpsilon ?? 1e-6, config.ropeTheta ?? 10000];
  const table = param(params, 'trunk.token_embedding.weight');
  let x = new Float64Array(rows * d);
  ids.forEach((id, r) => x.set(table.subarray(id * d, (id + 1) * d), r * d));
  for (let layer = 0; layer < config.layers; layer += 1) {
    const name = `trunk.layers.${layer}`;
    const normed = rmsNormRows(x, d, param(params, `${name}.attention_norm.weight`), epsilon);
    const q = project(normed, rows, params, `${name}.attention.query`, d);
    const k = project(normed, rows, params, `${name}.attention.key`, kvWidth);
    const v = project(normed, rows, params, `${name}.attention.value`, kvWidth);
    rotate(q, sequence, heads, d / heads, theta);
    rotate(k, sequence, config.kvHeads ?? heads, d / heads, theta);
    const attended = project(
      attend({ q, k, v, mask, batch, sequence }, config),
      rows,
      params,
      `${name}.attention.output`,
      d,
    );
    x = x.map((value, i) => value + attended[i]!);
    const normed2 = rmsNormRows(x, d, param(params, `${name}.mlp_norm.weight`), epsilon);
    const gate = project(normed2, rows, params, `${name}.mlp.gate`, ff);
    const up = project(normed2, rows, params, `${name}.mlp.up`, ff);
    const hidden = gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i]!);
    const down = project(hidden, rows, params, `${name}.mlp.down`, d);
    x = x.map((value, i) => value + down[i]!);
  }
  return rmsNormRows(x, d, param(params, 'trunk.final_norm.weight'), epsilon);
}
