import { describe, expect, it } from 'vitest';
import { MultiTask, taskOfTensor } from '../../../coordinator/strategies/multi-task.ts';
import {
  deltasForRound,
  examples,
  expectClose,
  flat,
  initialGlobal,
  layout,
  resultsForRound,
  setOf,
} from './fixtures.ts';

const tasks = [['classify'], ['classify', 'summarize'], undefined];

/** Per tensor: the example-weighted mean over the participants that trained it, added to the global. */
function naiveMultiTask(global: number[], round: number): number[] {
  const trained = (i: number, name: string) => {
    const task = name.startsWith('heads.') ? name.split('.')[1] : undefined;
    const list = tasks[i];
    return task === undefined || list === undefined || list.includes(task);
  };
  const out: number[] = [];
  let offset = 0;
  for (const { name, shape } of layout) {
    const size = shape.reduce((a, b) => a * b, 1);
    for (let k = offset; k < offset + size; k++) {
      let sum = 0;
      let weight = 0;
      deltasForRound(round).forEach((delta, i) => {
        if (!trained(i, name)) return;
        sum += examples[i]! * delta[k]!;
        weight += examples[i]!;
      });
      out.push(global[k]! + (weight ? sum / weight : 0));
    }
    offset += size;
  }
  return out;
}

describe('multi-task aggregation', () => {
  it('averages the trunk over all and each head over the participants that train its task', () => {
    const strategy = new MultiTask();
    let global = setOf(initialGlobal);
    let reference = [...initialGlobal];
    for (let round = 1; round <= 3; round++) {
      global = strategy.aggregate(global, resultsForRound(round, tasks), round);
      reference = naiveMultiTask(reference, round);
      expectClose(flat(global), reference);
    }
  });

  it('worked by hand: the summarize head moves by p1 and p2 only, weighted 30:60', () => {
    // Round 1, coordinate 6 (heads.summarize.weight[0]): (30·0.05 + 60·(−0.4)) / 90 = −0.25; 2 − 0.25 = 1.75.
    const out = new MultiTask().aggregate(setOf(initialGlobal), resultsForRound(1, tasks), 1);
    expect(out.get('heads.summarize.weight')!.data[0]).toBeCloseTo(1.75, 6);
  });

  it('leaves a head that nobody trained unchanged', () => {
    const onlyClassify = [['classify'], ['classify'], ['classify']];
    const out = new MultiTask().aggregate(setOf(initialGlobal), resultsForRound(1, onlyClassify), 1);
    expect([...out.get('heads.summarize.weight')!.data]).toEqual([2, 0.75]);
  });

  it('reads the task from a tensor name', () => {
    expect(taskOfTensor('heads.classify.dense.weight')).toBe('classify');
    expect(taskOfTensor('trunk.layer0.weight')).toBeUndefined();
    expect(taskOfTensor('heads')).toBeUndefined();
  });
});
