/**
 * BERT-family checkpoints (BertModel / BertFor*, with or without the `bert.` prefix) mapped onto the post-LN
 * form of our trunk (`normPlacement: 'post'`): LayerNorm on the embeddings, LN(x + f(x)) in every block, exact
 * GELU ("gelu"), no final LayerNorm. nn.Linear stores weights [out, in]; ours are [in, out], so each is transposed.
 *
 * Token types: our trunk has no token_type_ids input, so the type-0 embedding row is folded into every position
 * (positions' = positions + token_type[0]). That is exact for single texts (all type 0, as BERT sees them); for a
 * text pair (classification pairs, QA question + context) the second segment gets type 0 rather than 1, which is
 * not what the checkpoint was pretrained with — fine-tuning adapts to it, but the forward pass is not BERT's.
 * The pooler and pretraining heads are not used.
 */
import { tensor } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet } from '../tensor/parameter-set.ts';
import type { TransformerConfig } from './transformer.ts';

export interface BertSettings {
  heads: number;
  layerNormEpsilon?: number;
  /** config.json hidden_act: 'gelu' (exact) or 'gelu_new' (tanh). */
  activation?: string;
}

function find(source: ParameterSet, name: string): Float32Tensor | undefined {
  const legacy = name.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta');
  return source.get(name) ?? source.get(`bert.${name}`) ?? source.get(legacy) ?? source.get(`bert.${legacy}`);
}

function take(source: ParameterSet, name: string, shape: readonly number[], file: string): Float32Tensor {
  const value = find(source, name);
  if (!value) throw new Error(`${file}: tensor "${name}" (or "bert.${name}") is missing`);
  if (value.shape.join(',') !== shape.join(','))
    throw new Error(`${file}: tensor "${name}" has shape [${value.shape.join(', ')}], expected [${shape.join(', ')}]`);
  return value;
}

function transposed(value: Float32Tensor): Float32Tensor {
  const [rows, cols] = value.shape as [number, number];
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r += 1) for (let c = 0; c < cols; c += 1) out[c * rows + r] = value.data[r * cols + c]!;
  return tensor([cols, rows], out);
}

function bertTrunk(source: ParameterSet, settings: BertSettings, file: string): TransformerConfig {
  const words = find(source, 'embeddings.word_embeddings.weight');
  const positions = find(source, 'embeddings.position_embeddings.weight');
  const up = find(source, 'encoder.layer.0.intermediate.dense.weight');
  if (!words || !positions || !up) throw new Error(`${file}: BERT checkpoint without embeddings or encoder.layer.0`);
  const activation = settings.activation ?? 'gelu';
  if (activation !== 'gelu' && activation !== 'gelu_new')
    throw new Error(`${file}: hidden_act "${activation}" is not supported (gelu or gelu_new)`);
  let layers = 0;
  while (find(source, `encoder.layer.${layers}.attention.self.query.weight`)) layers += 1;
  return {
    vocabSize: words.shape[0] as number,
    maxSequenceLength: positions.shape[0] as number,
    dModel: words.shape[1] as number,
    heads: settings.heads,
    layers,
    ffDim: up.shape[0] as number,
    gelu: activation === 'gelu' ? 'none' : 'tanh',
    layerNormEpsilon: settings.layerNormEpsilon ?? 1e-12,
    normPlacement: 'post',
  };
}

function embeddings(source: ParameterSet, trunk: TransformerConfig, file: string, out: Map<string, Float32Tensor>) {
  const { vocabSize: vocab, maxSequenceLength: length, dModel: d } = trunk;
  out.set('trunk.token_embedding.weight', take(source, 'embeddings.word_embeddings.weight', [vocab, d], file));
  const positions = take(source, 'embeddings.position_embeddings.weight', [length, d], file);
  const types = find(source, 'embeddings.token_type_embeddings.weight');
  const folded = positions.data.slice();
  if (types) for (let i = 0; i < folded.length; i += 1) folded[i]! += types.data[i % d]!;
  out.set('trunk.position_embedding.weight', tensor([length, d], folded));
  out.set('trunk.embedding_norm.weight', take(source, 'embeddings.LayerNorm.weight', [d], file));
  out.set('trunk.embedding_norm.bias', take(source, 'embeddings.LayerNorm.bias', [d], file));
}

export function importBert(
  source: ParameterSet,
  settings: BertSettings,
  file = 'checkpoint',
): { trunk: TransformerConfig; parameters: Map<string, Float32Tensor> } {
  const trunk = bertTrunk(source, settings, file);
  const { dModel: d, ffDim: ff } = trunk;
  if (d % settings.heads !== 0) throw new Error(`${file}: width ${d} is not divisible by ${settings.heads} heads`);
  const out = new Map<string, Float32Tensor>();
  embeddings(source, trunk, file, out);
  const linear = (ours: string, theirs: string, inFeatures: number, outFeatures: number) => {
    out.set(`${ours}.weight`, transposed(take(source, `${theirs}.weight`, [outFeatures, inFeatures], file)));
    out.set(`${ours}.bias`, take(source, `${theirs}.bias`, [outFeatures], file));
  };
  const norm = (ours: string, theirs: string) => {
    out.set(`${ours}.weight`, take(source, `${theirs}.weight`, [d], file));
    out.set(`${ours}.bias`, take(source, `${theirs}.bias`, [d], file));
  };
  for (let i = 0; i < trunk.layers; i += 1) {
    const [ours, theirs] = [`trunk.layers.${i}`, `encoder.layer.${i}`];
    for (const part of ['query', 'key', 'value'])
      linear(`${ours}.attention.${part}`, `${theirs}.attention.self.${part}`, d, d);
    linear(`${ours}.attention.output`, `${theirs}.attention.output.dense`, d, d);
    norm(`${ours}.attention_norm`, `${theirs}.attention.output.LayerNorm`);
    linear(`${ours}.mlp.up`, `${theirs}.intermediate.dense`, d, ff);
    linear(`${ours}.mlp.down`, `${theirs}.output.dense`, ff, d);
    norm(`${ours}.mlp_norm`, `${theirs}.output.LayerNorm`);
  }
  return { trunk, parameters: out };
}
