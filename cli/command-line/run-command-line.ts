/**
 * Runs `accord …` against the command tree: `--help`/`-h` anywhere prints that command's help (exit 0);
 * `--version` prints the package version; an unknown command, unknown option or malformed value prints one
 * line and the usage line on stderr (exit 2); a failure of the work itself prints one line (exit 1).
 */
import { readFileSync } from 'node:fs';
import { helpText, isGroup, usageLine, type Command } from './command-tree.ts';
import { asUsageError } from './usage-error.ts';

export interface CommandLineStreams {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processStreams: CommandLineStreams = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Options before a `--` are the command's; after it, everything is an argument. */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

function usageFailure(streams: CommandLineStreams, path: string[], command: Command, message: string): number {
  streams.stderr(`${['accord', ...path].join(' ')}: ${message}\n${usageLine(path, command)}\n`);
  return 2;
}

/** Walks down the groups to the command that runs; returns the process exit code. */
export async function runCommandLine(
  root: Command,
  argv: readonly string[],
  streams: CommandLineStreams = processStreams,
): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    streams.stdout(`${packageVersion()}\n`);
    return 0;
  }
  let command = root;
  const path: string[] = [];
  let rest = [...argv];
  while (isGroup(command)) {
    const [next, ...after] = rest;
    if (next === '--help' || next === '-h') return (streams.stdout(helpText(path, command)), 0);
    if (next === undefined) return (streams.stderr(helpText(path, command)), 2);
    const sub = command.subcommands.find((candidate) => candidate.name === next);
    if (!sub) {
      const what = next.startsWith('-') ? `unknown option ${next}` : `unknown command "${next}"`;
      return usageFailure(streams, path, command, what);
    }
    command = sub;
    path.push(next);
    rest = after;
  }
  if (asksForHelp(rest)) return (streams.stdout(helpText(path, command)), 0);
  try {
    return (await command.run(rest)) ?? 0;
  } catch (error) {
    const usage = asUsageError(error);
    if (usage) return usageFailure(streams, path, command, usage.message);
    streams.stderr(`${['accord', ...path].join(' ')}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
