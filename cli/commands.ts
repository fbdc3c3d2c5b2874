/**
 * Every `accord` command, in one tree: names, one-line summaries, usage and help. Each command's code is
 * imported only when it runs, so `--help` and usage errors answer at once.
 */
import type { Command } from './command-line/command-tree.ts';
import { coordinatorCommands } from './coordinator-commands.ts';
import { participantCommands } from './participant/participant-commands.ts';
import { evalDetails, trainDetails } from './train/train-usage.ts';

const privacyCommands: Command = {
  name: 'privacy',
  summary: 'the differential-privacy accountant: ε for a training plan, or the noise for a target ε',
  subcommands: [
    {
      name: 'epsilon',
      summary: 'the ε that DP-SGD spends (one JSON line: {"epsilon":…,"order":…})',
      usage: '--noise-multiplier S --sample-rate Q --steps T --delta D [--orders A,B,…]',
      details: 'A warning on stderr when the best Rényi order is at an end of the list.',
      run: async (argv) => (await import('./privacy-command.ts')).runPrivacyEpsilon(argv),
    },
    {
      name: 'noise',
      summary: 'the smallest noise multiplier that keeps ε at or below a target (one JSON line)',
      usage: '--target-epsilon E --delta D --sample-rate Q --steps T [--orders A,B,…]',
      details: 'stderr says the ε that noise multiplier actually spends.',
      run: async (argv) => (await import('./privacy-command.ts')).runPrivacyNoise(argv),
    },
  ],
};

const dataCommands: Command = {
  name: 'data',
  summary: 'check a dataset before training on it',
  subcommands: [
    {
      name: 'inspect',
      summary: 'read a dataset as training would: bad rows by file, line and field; statistics; the split',
      usage:
        'FILE [--task classification|extractive-qa|summarization] [--format csv|tsv|jsonl|parquet|squad-json] [--map FIELD=COLUMN]…',
      details: `options:
  --quoting rfc4180|none  CSV quoting (default rfc4180)
  --columns A,B,…     column names of a file without a header
  --tokenizer PATH    tokenizer.json for length statistics
  --validation F      held-out fraction (default 0.1)
  --seed S            split seed (default 0)
  --max-issues N      bad rows to list (default 20)
  --json              one JSON document instead of text
Exit 1 when the file has bad rows.`,
      run: async (argv) => (await import('./data-command.ts')).runDataInspect(argv),
    },
  ],
};

export const accordCommands: Command = {
  name: 'accord',
  summary: 'federated training of language models',
  subcommands: [
    participantCommands,
    coordinatorCommands,
    {
      name: 'train',
      summary: 'train a model on local files (one task or several), with progress and a report',
      usage: '(--task KIND --data FILE[,FILE…] | --dataset NAME=KIND:FILE[,FILE…] …) [options]',
      details: trainDetails,
      run: async (argv) => (await import('./train/train-command.ts')).runTrainCommand(argv),
    },
    {
      name: 'eval',
      summary: "evaluate a checkpoint on local files: each task's metrics as one JSON line",
      usage: '--checkpoint FILE (--task KIND --data FILE[,FILE…] | --dataset NAME=KIND:FILE[,FILE…] …) [options]',
      details: evalDetails,
      run: async (argv) => (await import('./train/eval-command.ts')).runEvalCommand(argv),
    },
    dataCommands,
    privacyCommands,
  ],
};
