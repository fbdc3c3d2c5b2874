/**
 * `npm run bench:dp`: one DP-SGD step against one non-private step of the engine benchmark's transformer
 * classifier (batch 32, seq 128, d_model 256, 4 heads, ff 1024, vocab 8000, 2 classes; LAYERS=1 by default).
 *   plain: engine/nn createClassifierStep — forward + backward, embedding rows scattered on the host;
 *   DP:    engine/privacy createDpClassifierStep — forward + one backward + per-example norms, clip factors
 *          and clipped sums in the same graph, rows scattered — then CSPRNG Gaussian noise on every
 *          parameter and division by q·n on the host (privatizeGradientSums).
 * Neither includes the optimizer update (the same for both). The two steps alternate so that both see the
 * same machine load; the median of STEPS (default 7) after 2 warm-up steps is reported. NOISE=0 leaves the
 * noise out, to isolate the in-graph cost. Last line: {"dp_step_ms", "plain_step_ms", "dp_ratio"}.
 */
import { createClassifierStep } from '../engine/nn/classifier-step.ts';
import type { ClassifierBatch } from '../engine/nn/classifier-step.ts';
import { initializeClassifierParameters } from '../engine/nn/classifier.ts';
import type { TransformerClassifierConfig } from '../engine/nn/classifier.ts';
import { createDpClassifierStep } from '../engine/privacy/dp-classifier-step.ts';
import { privatizeGradientSums } from '../engine/privacy/noisy-gradient.ts';

const [batch, seqLen] = [32, 128];
const config: TransformerClassifierConfig = {
  vocabSize: 8000,
  maxSequenceLength: seqLen,
  dModel: 256,
  heads: 4,
  layers: Number(process.env.LAYERS ?? 1),
  ffDim: 1024,
  numClasses: 2,
};
const warmup = 2;
const steps = Number(process.env.STEPS ?? 7);
const addNoise = process.env.NOISE !== '0';

const params = initializeClassifierParameters(config, 0);
const data: ClassifierBatch = {
  inputIds: BigInt64Array.from({ length: batch * seqLen }, (_, i) => BigInt((i * 7919) % config.vocabSize)),
  attentionMask: new Float32Array(batch * seqLen).fill(1),
  labels: BigInt64Array.from({ length: batch }, (_, i) => BigInt(i % config.numClasses)),
};

const plain = await createClassifierStep(config, batch, seqLen);
const dp = await createDpClassifierStep(config, batch, seqLen, { clipNorm: 1 });
const runs: [string, () => Promise<unknown>][] = [
  ['plain', () => plain.run(params, data)],
  [
    'dp',
    async () => {
      const { clippedSums } = await dp.run(params, data);
      if (addNoise) privatizeGradientSums(clippedSums, { noiseMultiplier: 1, clipNorm: 1, expectedBatchSize: batch });
    },
  ],
];

const times = new Map<string, number[]>(runs.map(([name]) => [name, []]));
for (let i = 0; i < warmup + steps; i += 1) {
  for (const [name, run] of runs) {
    const start = performance.now();
    await run();
    if (i >= warmup) times.get(name)?.push(performance.now() - start);
  }
}
const median = (name: string) => {
  const sorted = [...(times.get(name) ?? [])].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const [plainMs, dpMs] = [median('plain'), median('dp')];
const parameterCount = [...params.values()].reduce((n, t) => n + t.data.length, 0);
console.log(
  `transformer classifier, ${config.layers} layer(s), ${parameterCount} parameters; batch ${batch}, seq ${seqLen}`,
);
console.log(`plain step: ${plainMs.toFixed(1)} ms (median of ${steps})`);
console.log(`DP-SGD step${addNoise ? '' : ' without noise'}: ${dpMs.toFixed(1)} ms (median of ${steps})`);
console.log(
  JSON.stringify({
    dp_step_ms: +dpMs.toFixed(1),
    plain_step_ms: +plainMs.toFixed(1),
    dp_ratio: +(dpMs / plainMs).toFixed(3),
  }),
);
