/**
 * The task flags of `accord train` / `accord eval`:
 *   --dataset NAME=KIND:FILE[,FILE…]   one per task (KIND: classification | qa | summarization); or, for one task,
 *   --task classification|qa|summarization --data FILE[,FILE…]
 *   --map [NAME.]FIELD=COLUMN          column mapping (field names of engine/data/tasks)
 *   --weight NAME=W                    loss weight of a task
 */
import type { ColumnMapping } from '../../engine/data/tasks/column-mapping.ts';
import { UsageError } from '../command-line/usage-error.ts';
import { taskKinds } from '../../engine/train/task-job-spec.ts';
import type { TaskKind, TaskSpec } from '../../engine/train/task-job-spec.ts';

function splitPair(flag: string, entry: string, separator: string): [string, string] {
  const at = entry.indexOf(separator);
  if (at <= 0 || at === entry.length - 1)
    throw new UsageError(`--${flag} must look like NAME${separator}VALUE, got "${entry}"`);
  return [entry.slice(0, at), entry.slice(at + 1)];
}

function kindOf(text: string, where: string): TaskKind {
  if (!(taskKinds as readonly string[]).includes(text))
    throw new UsageError(`${where}: task kind must be one of ${taskKinds.join(', ')}, got "${text}"`);
  return text as TaskKind;
}

export function parseTaskList(options: {
  task?: string | undefined;
  data: readonly string[];
  datasets: readonly string[];
  maps: readonly string[];
  weights: readonly string[];
}): TaskSpec[] {
  const tasks: TaskSpec[] = options.datasets.map((entry) => {
    const [name, rest] = splitPair('dataset', entry, '=');
    const [kind, files] = splitPair('dataset', rest, ':');
    return { name, kind: kindOf(kind, `--dataset ${name}`), files: files.split(',').filter(Boolean) };
  });
  if (options.data.length > 0) {
    if (tasks.length > 0) throw new UsageError('give either --data (one task) or --dataset (one per task), not both');
    const kind = kindOf(options.task ?? '', '--task');
    tasks.push({ name: kind, kind, files: options.data.flatMap((entry) => entry.split(',')).filter(Boolean) });
  }
  if (tasks.length === 0) throw new UsageError('no data: give --data FILE (with --task) or --dataset NAME=KIND:FILE');
  for (const entry of options.maps) {
    const [key, column] = splitPair('map', entry, '=');
    const dot = key.lastIndexOf('.');
    const target =
      dot > 0 ? tasks.find((task) => task.name === key.slice(0, dot)) : tasks.length === 1 ? tasks[0] : undefined;
    if (!target)
      throw new UsageError(
        `--map ${entry}: name the task as TASK.FIELD=COLUMN (tasks: ${tasks.map((t) => t.name).join(', ')})`,
      );
    target.mapping = { ...(target.mapping ?? {}), [dot > 0 ? key.slice(dot + 1) : key]: column } as ColumnMapping;
  }
  for (const entry of options.weights) {
    const [name, value] = splitPair('weight', entry, '=');
    const target = tasks.find((task) => task.name === name);
    if (!target) throw new UsageError(`--weight ${entry}: no task named "${name}"`);
    const weight = Number(value);
    if (!(weight > 0)) throw new UsageError(`--weight ${entry}: the weight must be a number above 0`);
    target.weight = weight;
  }
  return tasks;
}
