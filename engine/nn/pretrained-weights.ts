/**
 * Pretrained weights in the Hugging Face layout mapped onto our parameter names.
 *
 * GPT-2 (GPT2Model / GPT2LMHeadModel, with or without the `transformer.` prefix) is our trunk exactly: pre-LN
 * blocks, learned positions, a final LayerNorm, causal attention with 1/√Dh scores, the tanh GELU ("gelu_new").
 * Its Conv1D weights are already stored [in, out] as ours are; the fused `attn.c_attn` [d, 3d] is split into
 * query, key and value by columns. The LM head is tied to the token embedding: `heads.<task>.weight` = wteᵀ.
 *
 * BERT is post-LN and goes to engine/nn/bert-weights.ts, which maps it onto the trunk's post-LN form.
 */
import { tensor } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet } from '../tensor/parameter-set.ts';
import { importBert } from './bert-weights.ts';
import type { TransformerConfig } from './transformer.ts';

export interface Gpt2Settings {
  /** Attention heads (config.json n_head): the weights do not say. */
  heads: number;
  layerNormEpsilon?: number;
  /** config.json activation_function; only the tanh form is our GELU 'tanh'. */
  activation?: string;
  /** Name of the causal-LM head to fill from the tied embedding; none when absent. */
  lmHead?: string;
}

export interface ImportedModel {
  trunk: TransformerConfig;
  parameters: Map<string, Float32Tensor>;
  /** A causal-LM head of its own, as ours [d, vocab]; absent when the head is the tied token embedding. */
  lmHead?: Float32Tensor;
}

export function checkpointFamily(names: readonly string[]): 'gpt2' | 'bert' | 'unknown' {
  if (names.some((name) => /(^|\.)h\.\d+\.attn\.c_attn\.weight$/.test(name))) return 'gpt2';
  if (names.some((name) => /(^|\.)encoder\.layer\.\d+\.attention\.self\.query\.weight$/.test(name))) return 'bert';
  return 'unknown';
}

function requireTensor(source: ParameterSet, name: string, shape: readonly number[], file: string): Float32Tensor {
  const value = source.get(name) ?? source.get(`transformer.${name}`);
  if (!value) throw new Error(`${file}: tensor "${name}" (or "transformer.${name}") is missing`);
  if (value.shape.join(',') !== shape.join(','))
    throw new Error(`${file}: tensor "${name}" has shape [${value.shape.join(', ')}], expected [${shape.join(', ')}]`);
  return value;
}

/** Columns [from, from + width) of a row-major [rows, cols] matrix (or of a vector). */
function columns(value: Float32Tensor, from: number, width: number): Float32Tensor {
  if (value.shape.length === 1) return tensor([width], value.data.slice(from, from + width));
  const [rows, cols] = value.shape as [number, number];
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r += 1) out.set(value.data.subarray(r * cols + from, r * cols + from + width), r * width);
  return tensor([rows, width], out);
}

function transposed(value: Float32Tensor): Float32Tensor {
  const [rows, cols] = value.shape as [number, number];
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r += 1) for (let c = 0; c < cols; c += 1) out[c * rows + r] = value.data[r * cols + c]!;
  return tensor([cols, rows], out);
}

function gpt2Trunk(source: ParameterSet, settings: Gpt2Settings, file: string): TransformerConfig {
  const wte = source.get('wte.weight') ?? source.get('transformer.wte.weight');
  const wpe = source.get('wpe.weight') ?? source.get('transformer.wpe.weight');
  if (!wte || !wpe) throw new Error(`${file}: GPT-2 checkpoint without wte.weight / wpe.weight`);
  const activation = settings.activation ?? 'gelu_new';
  if (!['gelu_new', 'gelu_pytorch_tanh'].includes(activation))
    throw new Error(`${file}: activation "${activation}" is not supported (only the tanh GELU: gelu_new)`);
  let layers = 0;
  while ([...source.keys()].some((name) => name.includes(`h.${layers}.attn.c_attn.weight`))) layers += 1;
  const dModel = wte.shape[1] as number;
  const fcBias = source.get('h.0.mlp.c_fc.bias') ?? source.get('transformer.h.0.mlp.c_fc.bias');
  if (!fcBias) throw new Error(`${file}: tensor "h.0.mlp.c_fc.bias" is missing`);
  return {
    vocabSize: wte.shape[0] as number,
    maxSequenceLength: wpe.shape[0] as number,
    dModel,
    heads: settings.heads,
    layers,
    ffDim: fcBias.shape[0] as number,
    causal: true,
    gelu: 'tanh',
    layerNormEpsilon: settings.layerNormEpsilon ?? 1e-5,
  };
}

/** Our parameters (trunk, and the tied LM head when asked) from a GPT-2 state dict. */
export function importGpt2(source: ParameterSet, settings: Gpt2Settings, file = 'checkpoint'): ImportedModel {
  const trunk = gpt2Trunk(source, settings, file);
  const { dModel: d, ffDim: ff, vocabSize: vocab, maxSequenceLength: positions } = trunk;
  if (d % settings.heads !== 0) throw new Error(`${file}: width ${d} is not divisible by ${settings.heads} heads`);
  const out = new Map<string, Float32Tensor>();
  const copy = (ours: string, theirs: string, shape: number[]) =>
    out.set(ours, requireTensor(source, theirs, shape, file));
  copy('trunk.token_embedding.weight', 'wte.weight', [vocab, d]);
  copy('trunk.position_embedding.weight', 'wpe.weight', [positions, d]);
  for (let i = 0; i < trunk.layers; i += 1) {
    const [ours, theirs] = [`trunk.layers.${i}`, `h.${i}`];
    copy(`${ours}.attention_norm.weight`, `${theirs}.ln_1.weight`, [d]);
    copy(`${ours}.attention_norm.bias`, `${theirs}.ln_1.bias`, [d]);
    const qkv = requireTensor(source, `${theirs}.attn.c_attn.weight`, [d, 3 * d], file);
    const qkvBias = requireTensor(source, `${theirs}.attn.c_attn.bias`, [3 * d], file);
    ['query', 'key', 'value'].forEach((part, k) => {
      out.set(`${ours}.attention.${part}.weight`, columns(qkv, k * d, d));
      out.set(`${ours}.attention.${part}.bias`, columns(qkvBias, k * d, d));
    });
    copy(`${ours}.attention.output.weight`, `${theirs}.attn.c_proj.weight`, [d, d]);
    copy(`${ours}.attention.output.bias`, `${theirs}.attn.c_proj.bias`, [d]);
    copy(`${ours}.mlp_norm.weight`, `${theirs}.ln_2.weight`, [d]);
    copy(`${ours}.mlp_norm.bias`, `${theirs}.ln_2.bias`, [d]);
    copy(`${ours}.mlp.up.weight`, `${theirs}.mlp.c_fc.weight`, [d, ff]);
    copy(`${ours}.mlp.up.bias`, `${theirs}.mlp.c_fc.bias`, [ff]);
    copy(`${ours}.mlp.down.weight`, `${theirs}.mlp.c_proj.weight`, [ff, d]);
    copy(`${ours}.mlp.down.bias`, `${theirs}.mlp.c_proj.bias`, [d]);
  }
  copy('trunk.final_norm.weight', 'ln_f.weight', [d]);
  copy('trunk.final_norm.bias', 'ln_f.bias', [d]);
  if (settings.lmHead) {
    out.set(`heads.${settings.lmHead}.weight`, transposed(out.get('trunk.token_embedding.weight')!));
    out.set(`heads.${settings.lmHead}.bias`, tensor([vocab]));
  }
  return { trunk, parameters: out };
}

/** Imports a Hugging Face state dict of a supported family, or says why it cannot. */
export function importPretrained(source: ParameterSet, settings: Gpt2Settings, file = 'checkpoint'): ImportedModel {
  const family = checkpointFamily([...source.keys()]);
  if (family === 'gpt2') return importGpt2(source, settings, file);
  if (family === 'bert')
    return importBert(
      source,
      {
        heads: settings.heads,
        ...(settings.layerNormEpsilon ? { layerNormEpsilon: settings.layerNormEpsilon } : {}),
        ...(settings.activation ? { activation: settings.activation } : {}),
      },
      file,
    );
  throw new Error(
    `${file}: neither a GPT-2 nor a BERT checkpoint in the Hugging Face layout (no h.0.attn.c_attn.weight or encoder.layer.0.attention.self.query.weight)`,
  );
}
