import { describe, expect, it } from 'vitest';
import { buildBackward } from '../../../engine/autodiff/backward.ts';
import { Graph } from '../../../engine/graph/ir.ts';
import * as op from '../../../engine/graph/ops/index.ts';
import { serializeGraph } from '../../../engine/graph/serialize.ts';
import { OnnxSession } from '../../../engine/runtime/session.ts';
import { seededRandom } from '../../support/seeded-random.ts';

const [batch, features, classes] = [4, 3, 2];

/** Per-example losses l_i = CE(x_i·W, y_i), h = x·W the intermediate logits. */
function perExampleGraph() {
  const g = new Graph('per_example');
  const x = g.input('x', 'float64', [batch, features]);
  const w = g.input('w', 'float64', [features, classes]);
  const labels = g.input('labels', 'int64', [batch]);
  const seed = g.input('seed', 'float64', [batch]);
  const logits = op.matMul(x, w);
  const losses = op.softmaxCrossEntropyLoss(logits, labels, { reduction: 'none' }).loss;
  return { g, x, w, labels, seed, logits, losses };
}

const random = seededRandom(3);
const xData = Float64Array.from({ length: batch * features }, () => random() * 2 - 1);
const wData = Float64Array.from({ length: features * classes }, () => random() * 2 - 1);
const labelData = BigInt64Array.from([1n, 0n, 0n, 1n]);
const seedData = Float64Array.from([0.5, -1, 2, 0.25]);

async function run(g: Graph, feeds: Record<string, Float64Array | BigInt64Array>) {
  const session = await OnnxSession.create(serializeGraph(g));
  const shapes: Record<string, number[]> = {
    x: [batch, features],
    w: [features, classes],
    labels: [batch],
    seed: [batch],
  };
  const hostFeeds = Object.fromEntries(
    Object.entries(feeds)
      .filter(([name]) => session.inputNames.includes(name))
      .map(([name, data]) => [name, { data, shape: shapes[name] as number[] }]),
  );
  return session.run(hostFeeds);
}

describe('buildBackward', () => {
  it('takes the seed gradient as a graph value and differentiates intermediate values', async () => {
    const { g, w, seed, logits, losses } = perExampleGraph();
    const result = buildBackward({ loss: losses, seed, wrt: [w, logits] });
    g.output(result.dense.get(w.name) as never, 'grad_w');
    g.output(result.dense.get(logits.name) as never, 'grad_logits');
    g.output(losses, 'losses');
    const out = await run(g, { x: xData, w: wData, labels: labelData, seed: seedData });
    const losses0 = out.get('losses')?.data as Float64Array;
    const gradW = out.get('grad_w')?.data as Float64Array;
    const gradLogits = out.get('grad_logits')?.data as Float64Array;
    // Reference: Σ_i seed_i·l_i by central differences on W, and ∂/∂logits = seed_i·(softmax − onehot) by hand.
    const objective = async (wValues: Float64Array) => {
      const ref = perExampleGraph();
      ref.g.output(ref.losses, 'losses');
      const values = (await run(ref.g, { x: xData, w: wValues, labels: labelData, seed: seedData })).get('losses')
        ?.data as Float64Array;
      return values.reduce((sum, l, i) => sum + l * (seedData[i] as number), 0);
    };
    for (let i = 0; i < wData.length; i += 1) {
      const [plus, minus] = [Float64Array.from(wData), Float64Array.from(wData)];
      plus[i] = (plus[i] as number) + 1e-6;
      minus[i] = (minus[i] as number) - 1e-6;
      const numeric = ((await objective(plus)) - (await objective(minus))) / 2e-6;
      expect(gradW[i]).toBeCloseTo(numeric, 6);
    }
    expect(losses0.length).toBe(batch);
    for (let n = 0; n < batch; n += 1) {
      const row = [0, 1].map((k) =>
        xData
          .slice(n * features, n * features + features)
          .reduce((s, v, j) => s + v * (wData[j * classes + k] as number), 0),
      );
      const exps = row.map(Math.exp);
      const total = (exps[0] as number) + (exps[1] as number);
      for (let k = 0; k < classes; k += 1) {
        const expected = (seedData[n] as number) * ((exps[k] as number) / total - (Number(labelData[n]) === k ? 1 : 0));
        expect(gradLogits[n * classes + k]).toBeCloseTo(expected, 10);
      }
    }
  });

  it('names a missing rule, a seed of the wrong shape, and a loss that does not depend on the request', () => {
    const { g, x, w, seed, logits, losses } = perExampleGraph();
    expect(() => buildBackward({ loss: losses, seed: x, wrt: [w] })).toThrow(
      /seed float64\[4, 3\] must match loss .* float64\[4\]/,
    );
    const unrelated = g.input('unrelated', 'float64', [2]);
    expect(() => buildBackward({ loss: losses, wrt: [unrelated] })).toThrow('does not depend on any requested value');
    const maxed = op.max(logits, 0);
    expect(() => buildBackward({ loss: maxed, wrt: [w] })).toThrow(/no gradient rule for Max \(node "Max"\)/);
    expect(seed.shape).toEqual([batch]);
  });
});
