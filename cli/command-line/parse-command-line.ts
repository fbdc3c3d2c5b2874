/** Strict option parsing for every command: unknown options and missing or extra arguments are usage errors. */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError, asUsageError } from './usage-error.ts';

/**
 * Parses `argv` against `options`; `positionals` names the arguments the command requires, in order
 * (`optionalPositionals` more may follow).
 */
export function parseCommandLine<const T extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: T,
  positionals: readonly string[] = [],
  optionalPositionals = 0,
) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true as const, strict: true as const });
  } catch (error) {
    throw asUsageError(error) ?? error;
  }
  const missing = positionals[parsed.positionals.length];
  if (missing !== undefined) throw new UsageError(`missing ${missing}`);
  const extra = parsed.positionals[positionals.length + optionalPositionals];
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  return parsed;
}

/** A required option's value, or a usage error naming it. */
export function requiredOption(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** A finite number from an option's text, or a usage error naming the option and what was given. */
export function numberOption(value: string | undefined, name: string): number {
  const number = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(number))
    throw new UsageError(`--${name} needs a number, got ${value === undefined ? 'nothing' : `"${value}"`}`);
  return number;
}
