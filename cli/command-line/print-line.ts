/** One line of a command's answer on stdout. */
export function printLine(line: string): void {
  process.stdout.write(`${line}\n`);
}
