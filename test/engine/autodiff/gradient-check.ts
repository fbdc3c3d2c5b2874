/**
 * Central finite differences against the backward graph, both run in onnxruntime. The objective is
 * L = Σ y ⊙ R with R a fixed random tensor, so every output element matters with a distinct weight.
 *
 * Tolerances. float64 (used wherever onnxruntime's CPU kernels have a double kernel): h = 1e-6, so the O(h²)
 * truncation error is ~1e-12 and rounding ~1e-16/1e-6 = 1e-10 relative: 1e-6 leaves a wide margin.
 * float32 (Erf, exact GELU, and anything built on them, which have only float kernels): h = 1e-2 keeps rounding
 * at ~6e-8·|L|/1e-2 ≈ 1e-5·|L| and truncation at ~h²·|f‴| ≈ 1e-4, so we accept 2e-3 absolute + 1e-2 relative —
 * a wrong rule (a missing factor, a transposed operand) is off by O(1).
 */
import { expect } from 'vitest';
import { buildBackward } from '../../../engine/autodiff/backward.ts';
import { scatterAddRows } from '../../../engine/autodiff/scatter-add-rows.ts';
import { Graph } from '../../../engine/graph/ir.ts';
import type { DataType, Value } from '../../../engine/graph/ir.ts';
import * as op from '../../../engine/graph/ops/index.ts';
import { serializeGraph } from '../../../engine/graph/serialize.ts';
import { OnnxSession } from '../../../engine/runtime/session.ts';
import type { HostData, HostTensor } from '../../../engine/runtime/session.ts';
import { seededRandom } from '../../support/seeded-random.ts';

export interface CheckInput {
  readonly name: string;
  readonly shape: readonly number[];
  /** Non-float inputs (int64 ids, bool conditions) need data and are never differentiated. */
  readonly dtype?: DataType;
  readonly data?: readonly number[];
  /** Random values are drawn from [low, high]; default [-1, 1]. */
  readonly low?: number;
  readonly high?: number;
  /** Held fixed (no gradient checked). */
  readonly constant?: boolean;
}

export interface CheckSpec {
  readonly dtype: 'float32' | 'float64';
  readonly inputs: readonly CheckInput[];
  readonly build: (...inputs: Value[]) => Value;
  readonly seed?: number;
}

function hostData(dtype: DataType, values: readonly number[]): HostData {
  if (dtype === 'float32') return Float32Array.from(values);
  if (dtype === 'float64') return Float64Array.from(values);
  if (dtype === 'int64') return BigInt64Array.from(values.map((v) => BigInt(v)));
  return Uint8Array.from(values);
}

function makeFeeds(spec: CheckSpec, random: () => number): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = {};
  for (const input of spec.inputs) {
    const size = input.shape.reduce((n, d) => n * d, 1);
    const [low, high] = [input.low ?? -1, input.high ?? 1];
    const values = input.data ?? Array.from({ length: size }, () => low + (high - low) * random());
    feeds[input.name] = { data: hostData(input.dtype ?? spec.dtype, values), shape: input.shape };
  }
  return feeds;
}

function differentiable(spec: CheckSpec, input: CheckInput): boolean {
  return !input.constant && (input.dtype ?? spec.dtype) === spec.dtype;
}

/** Builds forward + backward, then compares every gradient element with central differences. */
export async function checkGradients(spec: CheckSpec): Promise<void> {
  const random = seededRandom(spec.seed ?? 7);
  const g = new Graph('gradient_check');
  const values = spec.inputs.map((input) => g.input(input.name, input.dtype ?? spec.dtype, input.shape));
  const y = spec.build(...values);
  const weights = Array.from({ length: y.shape.reduce((n, d) => n * d, 1) }, () => random() * 2 - 1);
  const loss = op.reduceSum(
    op.mul(y, g.constant(spec.dtype, y.shape, weights, 'weights')),
    y.shape.map((_, a) => a),
  );
  g.output(loss, 'loss');
  const checked = spec.inputs.filter((input) => differentiable(spec, input));
  const wrt = checked.map((input) => values[spec.inputs.indexOf(input)] as Value);
  const result = buildBackward({ loss, wrt });
  const rowOutputs = new Map<string, { indices: string; rows: string }>();
  for (const value of wrt) {
    const dense = result.dense.get(value.name);
    if (dense) g.output(dense, `grad_${value.name}`);
    result.rows.get(value.name)?.forEach((part, i) => {
      rowOutputs.set(`${value.name}_${i}`, {
        indices: g.output(part.indices, `idx_${value.name}_${i}`).name,
        rows: g.output(part.rows, `rows_${value.name}_${i}`).name,
      });
    });
  }
  const session = await OnnxSession.create(serializeGraph(g));
  const feeds = makeFeeds(spec, random);
  const analytic = await session.run(feeds);
  const h = spec.dtype === 'float64' ? 1e-6 : 1e-2;
  const [atol, rtol] = spec.dtype === 'float64' ? [1e-7, 1e-6] : [2e-3, 1e-2];
  for (const input of checked) {
    const expected = analyticGradient(analytic, input, rowOutputs);
    const data = feeds[input.name]?.data as Float32Array | Float64Array;
    for (let i = 0; i < data.length; i += 1) {
      const original = data[i] as number;
      data[i] = original + h;
      const plus = (await session.run(feeds, ['loss'])).get('loss')?.data[0] as number;
      data[i] = original - h;
      const minus = (await session.run(feeds, ['loss'])).get('loss')?.data[0] as number;
      data[i] = original;
      const numeric = (plus - minus) / (2 * h);
      const got = expected[i] as number;
      if (Math.abs(got - numeric) > atol + rtol * Math.abs(numeric)) {
        expect.fail(`∂L/∂${input.name}[${i}]: backward ${got}, finite differences ${numeric}`);
      }
    }
  }
  await session.release();
}

function analyticGradient(
  analytic: Map<string, HostTensor>,
  input: CheckInput,
  rowOutputs: Map<string, { indices: string; rows: string }>,
): ArrayLike<number> {
  const dense = analytic.get(`grad_${input.name}`)?.data;
  const size = input.shape.reduce((n, d) => n * d, 1);
  const total = dense ? Float64Array.from(dense as ArrayLike<number>) : new Float64Array(size);
  const rowSize = input.shape.slice(1).reduce((n, d) => n * d, 1);
  for (const [key, names] of rowOutputs) {
    if (!key.startsWith(`${input.name}_`)) continue;
    const indices = analytic.get(names.indices)?.data as BigInt64Array;
    const rows = Float32Array.from(analytic.get(names.rows)?.data as ArrayLike<number>);
    const scattered = scatterAddRows(indices, rows, input.shape[0] as number, rowSize);
    scattered.forEach((v, i) => (total[i] = (total[i] as number) + v));
  }
  return total;
}
