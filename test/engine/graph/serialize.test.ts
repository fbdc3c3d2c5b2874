import { describe, expect, it } from 'vitest';
import { Graph } from '../../../engine/graph/ir.ts';
import * as op from '../../../engine/graph/ops/index.ts';
import { decodeModel, opsetVersion, serializeGraph } from '../../../engine/graph/serialize.ts';
import { OnnxSession } from '../../../engine/runtime/session.ts';

describe('serializeGraph', () => {
  it('writes a ModelProto with opset ≥ 17, typed inputs and outputs, and raw initializers', () => {
    const g = new Graph('tiny');
    const x = g.input('x', 'float32', [2, 3]);
    g.output(op.add(x, g.constant('float32', [3], [1, 2, 3], 'bias')), 'y');
    const model = decodeModel(serializeGraph(g)) as {
      opset_import: { version: number }[];
      graph: { input: { name: string }[]; output: { name: string }[]; initializer: { name: string; dims: number[] }[] };
    };
    expect(opsetVersion).toBeGreaterThanOrEqual(17);
    expect(model.opset_import[0]?.version).toBe(opsetVersion);
    expect(model.graph.input.map((i) => i.name)).toEqual(['x']);
    expect(model.graph.output.map((o) => o.name)).toEqual(['y']);
    expect(model.graph.initializer[0]).toMatchObject({ name: 'bias', dims: [3] });
  });

  it('loads in onnxruntime and matches an output computed by hand', async () => {
    // y = relu(x · W + b) with x = [[1, 2], [3, -4]], W = [[1, -1], [0.5, 2]], b = [0, -1]:
    //   row 0: [1 + 1, -1 + 4] + b = [2, 2];   row 1: [3 - 2, -3 - 8] + b = [1, -12] → relu [1, 0]
    // s = sum over axis 1 of y: [4, 1]; ids [1, 0] gather rows of s·: [1, 4]
    const g = new Graph('hand');
    const x = g.input('x', 'float32', [2, 2]);
    const ids = g.input('ids', 'int64', [2]);
    const w = g.constant('float32', [2, 2], [1, -1, 0.5, 2], 'w');
    const b = g.constant('float32', [2], [0, -1], 'b');
    const y = op.relu(op.gemm(x, w, b));
    g.output(y, 'y');
    g.output(op.gather(op.reduceSum(y, [1]), ids), 'picked');
    const session = await OnnxSession.create(serializeGraph(g));
    const out = await session.run({
      x: { data: new Float32Array([1, 2, 3, -4]), shape: [2, 2] },
      ids: { data: new BigInt64Array([1n, 0n]), shape: [2] },
    });
    expect([...(out.get('y')?.data as Float32Array)]).toEqual([2, 2, 1, 0]);
    expect([...(out.get('picked')?.data as Float32Array)]).toEqual([1, 4]);
    expect(out.get('y')?.shape).toEqual([2, 2]);
    await session.release();
  });

  it('runs float64 graphs end to end', async () => {
    const g = new Graph('double');
    const x = g.input('x', 'float64', [3]);
    g.output(op.mul(x, x), 'square');
    const session = await OnnxSession.create(serializeGraph(g));
    const out = await session.run({ x: { data: new Float64Array([0.1, -3, 1e-200]), shape: [3] } });
    // 1e-200 squared underflows float32 and float64 alike to 0; 0.1² keeps float64 rounding (0.010000000000000002).
    expect([...(out.get('square')?.data as Float64Array)]).toEqual([0.1 * 0.1, 9, 0]);
    await session.release();
  });
});
