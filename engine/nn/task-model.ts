/**
 * Task models over one transformer trunk: a head per task under `heads.<task>.*`, so that a multi-task model is
 * the union of its tasks' graphs (the trunk shared, each head its own) and the coordinator can average the trunk
 * over every participant and each head over those that train it. Heads:
 *   classification: pooled hidden state → linear [d, classes]; input `labels` [B]; mean cross-entropy.
 *   span (extractive QA): linear [d, 2] → start and end logits [B, T]; inputs `start_positions`, `end_positions`
 *     [B] (the CLS position 0 for "no answer"); loss = (CE(start) + CE(end)) / 2, as BERT's SQuAD head.
 *   causal-lm: linear [d, vocab] → next-token logits [B·T, vocab]; input `labels` [B·T], the next token where it
 *     is a target and -100 elsewhere (the document prefix, padding); mean cross-entropy over the targets.
 */
import { Graph } from '../graph/ir.ts';
import type { Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { meanCrossEntropy } from './classifier.ts';
import { linear } from './layers.ts';
import type { LoraConfig } from './lora.ts';
import { validateLoraConfig } from './lora.ts';
import { ModelScope } from './scope.ts';
import { transformerTrunk } from './transformer.ts';
import type { TransformerConfig } from './transformer.ts';

export type TaskHead =
  | { readonly kind: 'classification'; readonly classes: number }
  | { readonly kind: 'span' }
  | { readonly kind: 'causal-lm' };

export interface TaskModelConfig {
  readonly trunk: TransformerConfig;
  readonly heads: Readonly<Record<string, TaskHead>>;
  readonly lora?: LoraConfig;
}

export interface TaskGraph {
  readonly graph: Graph;
  readonly scope: ModelScope;
  /** Absent in forward-only graphs, which take no label inputs. */
  readonly loss: Value | undefined;
  /** Forward outputs by name: `logits` (classification, causal-lm) or `start_logits` and `end_logits` (span). */
  readonly outputs: Readonly<Record<string, Value>>;
}

export interface TaskGraphOptions {
  readonly dtype?: 'float32' | 'float64';
  /** Dropout is off in evaluation graphs. */
  readonly training?: boolean;
  /** Label inputs and the loss (default true); a forward-only graph leaves them out. */
  readonly withLoss?: boolean;
}

interface HeadGraph {
  readonly loss: Value | undefined;
  readonly outputs: Record<string, Value>;
}

/** Mean of hidden states over real tokens [B, d]. */
function meanPool(hidden: Value, mask: Value): Value {
  const [batch, sequence] = mask.shape as [number, number];
  const d = hidden.shape[1] as number;
  const masked = op.mul(op.reshape(hidden, [batch, sequence, d]), op.reshape(mask, [batch, sequence, 1]));
  return op.div(op.reduceSum(masked, [1]), op.max(op.reduceSum(mask, [1], true), 1));
}

function headGraph(
  scope: ModelScope,
  task: string,
  head: TaskHead,
  hidden: Value,
  mask: Value,
  vocab: number,
  withLoss: boolean,
): HeadGraph {
  const graph = scope.graph;
  const [batch, sequence] = mask.shape as [number, number];
  const name = `heads.${task}`;
  if (head.kind === 'classification') {
    const logits = linear(scope, name, meanPool(hidden, mask), head.classes);
    const loss = withLoss ? meanCrossEntropy(logits, graph.input('labels', 'int64', [batch])) : undefined;
    return { loss, outputs: { logits } };
  }
  if (head.kind === 'span') {
    const both = op.reshape(linear(scope, name, hidden, 2), [batch, sequence, 2]);
    const start = op.reshape(op.slice(both, [0], [1], [2]), [batch, sequence]);
    const end = op.reshape(op.slice(both, [1], [2], [2]), [batch, sequence]);
    const outputs = { start_logits: start, end_logits: end };
    if (!withLoss) return { loss: undefined, outputs };
    const startLoss = meanCrossEntropy(start, graph.input('start_positions', 'int64', [batch]));
    const endLoss = meanCrossEntropy(end, graph.input('end_positions', 'int64', [batch]));
    return { loss: op.mul(op.add(startLoss, endLoss), 0.5), outputs };
  }
  const logits = linear(scope, name, hidden, vocab);
  const loss = withLoss ? meanCrossEntropy(logits, graph.input('labels', 'int64', [batch * sequence])) : undefined;
  return { loss, outputs: { logits } };
}

/** The graph of one task: trunk, that task's head, its loss and forward outputs; parameters are graph inputs. */
export function buildTaskGraph(
  config: TaskModelConfig,
  task: string,
  batchSize: number,
  seqLen: number,
  options: TaskGraphOptions = {},
): TaskGraph {
  const head = config.heads[task];
  if (!head)
    throw new Error(`the model has no head for task "${task}" (heads: ${Object.keys(config.heads).join(', ')})`);
  if (head.kind === 'classification' && !(Number.isInteger(head.classes) && head.classes >= 2))
    throw new Error(`task "${task}": classes must be an integer ≥ 2, got ${head.classes}`);
  if (head.kind === 'causal-lm' && !config.trunk.causal)
    throw new Error(`task "${task}": a causal-LM head needs a causal trunk (trunk.causal = true)`);
  if (config.lora) validateLoraConfig(config.lora);
  const dtype = options.dtype ?? 'float32';
  const graph = new Graph(`task_${task.replace(/[^A-Za-z0-9_]/g, '_')}`);
  const scope = new ModelScope(graph, options.training ? (config.trunk.dropout ?? 0) : 0, dtype);
  scope.lora = config.lora;
  const inputIds = graph.input('input_ids', 'int64', [batchSize, seqLen]);
  const attentionMask = graph.input('attention_mask', dtype, [batchSize, seqLen]);
  const hidden = transformerTrunk(scope, { inputIds, attentionMask }, config.trunk);
  return {
    graph,
    scope,
    ...headGraph(scope, task, head, hidden, attentionMask, config.trunk.vocabSize, options.withLoss ?? true),
  };
}
