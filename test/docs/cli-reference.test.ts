/** docs/cli.md lists every command of the one command tree, with the usage line its `--help` prints today. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accordCommands } from '../../cli/commands.ts';
import { allCommands, isGroup, usageLine } from '../../cli/command-line/command-tree.ts';

const page = readFileSync('docs/cli.md', 'utf8');
const runnable = [...allCommands(accordCommands)].filter(([, command]) => !isGroup(command));

describe('docs/cli.md', () => {
  it.each(runnable.map(([path, command]) => [path.join(' '), path, command] as const))(
    'documents accord %s with its current usage line',
    (name, path, command) => {
      expect(page).toContain(`\n### accord ${name}\n`);
      expect(page).toContain(`\n${usageLine(path, command)}\n`);
    },
  );
});
