/**
 * Where a transformer training step spends its time inside onnxruntime: runs the classifier step graph with
 * ORT's profiler on and sums kernel time by op type. Usage: node scripts/bench/profile-step.ts [layers].
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildClassifierStepGraph } from '../../engine/nn/classifier-step.ts';
import { initializeClassifierParameters } from '../../engine/nn/classifier.ts';
import { serializeGraph } from '../../engine/graph/serialize.ts';
import { sessionOptions } from '../../engine/runtime/session-options.ts';

const layers = Number(process.argv[2] ?? 4);
const [batch, seq] = [32, 128];
const config = { vocabSize: 8000, maxSequenceLength: seq, dModel: 256, heads: 4, layers, ffDim: 1024, numClasses: 2 };
const { model } = buildClassifierStepGraph(config, batch, seq);
const prefix = join(tmpdir(), `accord-profile-${process.pid}`);
const session = await ort.InferenceSession.create(serializeGraph(model.graph), {
  ...sessionOptions(),
  enableProfiling: true,
  profileFilePrefix: prefix,
});
const feeds: Record<string, ort.Tensor> = {
  input_ids: new ort.Tensor(
    'int64',
    BigInt64Array.from({ length: batch * seq }, (_, i) => BigInt((i * 7919) % 8000)),
    [batch, seq],
  ),
  attention_mask: new ort.Tensor('float32', new Float32Array(batch * seq).fill(1), [batch, seq]),
  labels: new ort.Tensor(
    'int64',
    BigInt64Array.from({ length: batch }, (_, i) => BigInt(i % 2)),
    [batch],
  ),
};
for (const [name, value] of initializeClassifierParameters(config, 1))
  feeds[name] = new ort.Tensor('float32', value.data, value.shape);
const runs = 4;
const wall: number[] = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  await session.run(feeds);
  wall.push(performance.now() - start);
}
session.endProfiling();
const dir = tmpdir();
const file = readdirSync(dir)
  .map((name) => join(dir, name))
  .find((path) => path.startsWith(prefix));
if (!file) throw new Error(`no profile written with prefix ${prefix}`);
const events = JSON.parse(readFileSync(file, 'utf8')) as Array<{
  cat: string;
  dur: number;
  args?: { op_name?: string };
}>;
rmSync(file);
const byOp = new Map<string, number>();
for (const event of events) {
  if (event.cat !== 'Node' || !event.args?.op_name) continue;
  byOp.set(event.args.op_name, (byOp.get(event.args.op_name) ?? 0) + event.dur);
}
const total = [...byOp.values()].reduce((a, b) => a + b, 0);
process.stdout.write(
  `layers ${layers}: wall per run ${wall.map((ms) => ms.toFixed(0)).join(', ')} ms; kernel time per run ${(total / runs / 1000).toFixed(1)} ms\n`,
);
for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  process.stdout.write(
    `  ${op.padEnd(28)} ${(us / runs / 1000).toFixed(1).padStart(8)} ms  ${((100 * us) / total).toFixed(1).padStart(5)} %\n`,
  );
}
