/** `accord data inspect`: reads a dataset the way training would and prints what it found, bad rows named. */
import { inspectDataset } from '../engine/data/inspect-dataset.ts';
import { describeReport } from '../engine/data/tasks/read-examples.ts';
import { UsageError } from './command-line/usage-error.ts';

async function inspect(argv: string[]) {
  try {
    return await inspectDataset(argv);
  } catch (error) {
    // The engine reads the flags itself; its "usage:" answer means no file was named.
    if (error instanceof Error && error.message.startsWith('usage:')) throw new UsageError('missing FILE');
    throw error;
  }
}

export async function runDataInspect(argv: string[]): Promise<number> {
  const result = await inspect(argv);
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    process.stdout.write(`${describeReport(result.report)}\n`);
    process.stdout.write(`statistics: ${JSON.stringify(result.statistics, null, 2)}\n`);
    process.stdout.write(
      `split (seed ${result.split.seed}): ${result.split.train} train, ${result.split.validation} validation\n`,
    );
  }
  return result.report.issueCount > 0 ? 1 : 0;
}
