/** Argument parsing shared by the participant's CLI commands. */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

export type Output = (line: string) => void;

export function parseCommand<const T extends ParseArgsOptionsConfig>(argv: string[], options: T) {
  return parseArgs({ args: argv, options, allowPositionals: true as const, strict: true as const });
}

export function requireNumber(value: unknown, name: string): number {
  const number = Number(value);
  if (value === undefined || !Number.isFinite(number))
    throw new Error(`--${name} needs a number, got ${String(value)}`);
  return number;
}
