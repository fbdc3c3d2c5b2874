/**
 * A command called the wrong way (unknown option, missing or malformed value): the command line prints the
 * message and the command's usage line and exits 2, as opposed to a failure of the work itself (exit 1).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** node:util parseArgs's errors, in one line that names the option as the person typed it. */
function parseArgsMessage(error: Error & { code?: string }): string | undefined {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  const option = quoted.split(' ')[0] ?? quoted;
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted}"`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(error.message) ? `${option} takes no value` : `${option} needs a value`;
    default:
      return undefined;
  }
}

/** The error as a usage error when it is one (ours or parseArgs's), otherwise undefined. */
export function asUsageError(error: unknown): UsageError | undefined {
  if (error instanceof UsageError) return error;
  if (!(error instanceof Error)) return undefined;
  const message = parseArgsMessage(error);
  return message === undefined ? undefined : new UsageError(message);
}
