/**
 * The shape of the `accord` command tree: groups of subcommands, and commands that run. Every command's help,
 * usage line and errors come from this one description (cli/commands.ts), so they cannot drift apart.
 */
export interface RunnableCommand {
  readonly name: string;
  /** One line for the parent's list of commands. */
  readonly summary: string;
  /** The arguments after the command's path, e.g. `--config FILE [--days N]`. */
  readonly usage: string;
  /** Further lines of `--help`: what the options mean. */
  readonly details?: string;
  /** Parses its own arguments (with parseCommandLine) and returns the exit code (undefined: 0). */
  readonly run: (argv: string[]) => Promise<number | void>;
}

export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  readonly subcommands: readonly Command[];
}

export type Command = RunnableCommand | CommandGroup;

export function isGroup(command: Command): command is CommandGroup {
  return 'subcommands' in command;
}

/** `usage: accord participant datasets add --name N …` */
export function usageLine(path: readonly string[], command: Command): string {
  const args = isGroup(command) ? '<command> [options]' : command.usage;
  return `usage: ${['accord', ...path].join(' ')}${args ? ` ${args}` : ''}`;
}

/** The full `--help` text: usage line, details, and for a group its commands with their summaries. */
export function helpText(path: readonly string[], command: Command): string {
  const lines = [usageLine(path, command)];
  if (isGroup(command)) {
    const width = Math.max(...command.subcommands.map((sub) => sub.name.length));
    lines.push('', 'commands:');
    for (const sub of command.subcommands) lines.push(`  ${sub.name.padEnd(width)}  ${sub.summary}`);
    lines.push('', `Run ${['accord', ...path].join(' ')} <command> --help for a command's options.`);
    if (path.length === 0) lines.push('Run accord --version for the version.');
  } else {
    lines.push('', command.summary);
    if (command.details) lines.push('', command.details);
  }
  return `${lines.join('\n')}\n`;
}

/** Every command in the tree with its path, groups included (depth first). */
export function* allCommands(command: Command, path: string[] = []): Generator<[string[], Command]> {
  yield [path, command];
  if (isGroup(command)) for (const sub of command.subcommands) yield* allCommands(sub, [...path, sub.name]);
}
