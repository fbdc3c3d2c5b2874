/**
 * Interleaves the batches of several tasks into one epoch. 'round-robin' takes one batch of each task in turn
 * (tasks that run out drop out); 'proportional' draws the next task with probability proportional to the batches
 * it has left, so over an epoch each task is seen in proportion to its size and every batch exactly once.
 */
import { SeededRandom } from '../random/seeded-random.ts';

export type TaskSampling = 'proportional' | 'round-robin';

export interface TaggedBatch<Batch> {
  task: string;
  batch: Batch;
}

export function* interleaveTasks<Batch>(
  perTask: ReadonlyMap<string, readonly Batch[]>,
  sampling: TaskSampling,
  seed: number,
): Generator<TaggedBatch<Batch>> {
  const tasks = [...perTask.keys()];
  const next = new Map(tasks.map((task) => [task, 0]));
  const left = (task: string) => (perTask.get(task)?.length ?? 0) - (next.get(task) ?? 0);
  const take = (task: string): TaggedBatch<Batch> => {
    const index = next.get(task)!;
    next.set(task, index + 1);
    return { task, batch: perTask.get(task)![index]! };
  };
  if (sampling === 'round-robin') {
    while (tasks.some((task) => left(task) > 0)) for (const task of tasks) if (left(task) > 0) yield take(task);
    return;
  }
  const random = new SeededRandom(seed);
  for (;;) {
    const total = tasks.reduce((sum, task) => sum + left(task), 0);
    if (total === 0) return;
    let draw = random.uniform() * total;
    const task = tasks.find((candidate) => (draw -= left(candidate)) < 0) ?? tasks.findLast((t) => left(t) > 0)!;
    yield take(task);
  }
}
