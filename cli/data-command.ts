/** `accord data inspect`: reads a dataset the way training would and prints what it found, bad rows named. */
import { inspectDataset } from '../engine/data/inspect-dataset.ts';
import { describeReport } from '../engine/data/tasks/read-examples.ts';

export async function runDataCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'inspect') throw new Error(`unknown data command "${sub ?? ''}" (try: inspect)`);
  const result = await inspectDataset(rest);
  if (rest.includes('--json')) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    process.stdout.write(`${describeReport(result.report)}\n`);
    process.stdout.write(`statistics: ${JSON.stringify(result.statistics, null, 2)}\n`);
    process.stdout.write(
      `split (seed ${result.split.seed}): ${result.split.train} train, ${result.split.validation} validation\n`,
    );
  }
  if (result.report.issueCount > 0) process.exitCode = 1;
}
