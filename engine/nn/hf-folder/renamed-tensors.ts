/**
 * A checkpoint's tensors seen under other names: DistilBERT's and RoBERTa's state dicts presented in BERT's
 * layout, so that one BERT import serves all three. Nothing is read until a tensor is asked for, and each `get`
 * reads afresh, so the view holds no weights of its own.
 */
import type { Float32Tensor, ParameterSet } from '../../tensor/parameter-set.ts';

export type TensorRename = (theirs: string) => string | undefined;
export type TensorAdjust = (ours: string, value: Float32Tensor) => Float32Tensor;

export function renamedTensors(source: ParameterSet, rename: TensorRename, adjust?: TensorAdjust): ParameterSet {
  const theirsOf = new Map<string, string>();
  for (const name of source.keys()) {
    const ours = rename(name);
    if (ours !== undefined) theirsOf.set(ours, name);
  }
  const read = (ours: string): Float32Tensor | undefined => {
    const theirs = theirsOf.get(ours);
    const value = theirs === undefined ? undefined : source.get(theirs);
    return value && adjust ? adjust(ours, value) : value;
  };
  const entries = function* (): MapIterator<[string, Float32Tensor]> {
    for (const name of theirsOf.keys()) yield [name, read(name)!];
  };
  return {
    size: theirsOf.size,
    has: (name) => theirsOf.has(name),
    get: read,
    keys: () => theirsOf.keys(),
    entries,
    values: function* (): MapIterator<Float32Tensor> {
      for (const [, value] of entries()) yield value;
    },
    forEach(callback) {
      for (const [name, value] of entries()) callback(value, name, this);
    },
    [Symbol.iterator]: entries,
  };
}

const distilBertLayerParts: readonly [RegExp, string][] = [
  [/^attention\.q_lin\./, 'attention.self.query.'],
  [/^attention\.k_lin\./, 'attention.self.key.'],
  [/^attention\.v_lin\./, 'attention.self.value.'],
  [/^attention\.out_lin\./, 'attention.output.dense.'],
  [/^sa_layer_norm\./, 'attention.output.LayerNorm.'],
  [/^ffn\.lin1\./, 'intermediate.dense.'],
  [/^ffn\.lin2\./, 'output.dense.'],
  [/^output_layer_norm\./, 'output.LayerNorm.'],
];

/** DistilBERT (`distilbert.transformer.layer.N.attention.q_lin.weight`, …) under BERT's names. */
export function distilBertAsBert(theirs: string): string | undefined {
  const name = theirs.replace(/^distilbert\./, '');
  if (name.startsWith('embeddings.')) return name;
  const layer = /^transformer\.layer\.(\d+)\.(.*)$/.exec(name);
  if (!layer) return undefined;
  const part = distilBertLayerParts.find(([pattern]) => pattern.test(layer[2]!));
  return part ? `encoder.layer.${layer[1]}.${layer[2]!.replace(part[0], part[1])}` : undefined;
}

/** RoBERTa (`roberta.encoder.layer.N…`) under BERT's names. */
export function robertaAsBert(theirs: string): string | undefined {
  const name = theirs.replace(/^roberta\./, '');
  return name.startsWith('embeddings.') || name.startsWith('encoder.') ? name : undefined;
}
