/** How figures are shown: every number with its unit, in words a data steward reads without a manual. */

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** ε with three significant decimals: budgets are small numbers where the third decimal still matters. */
export function formatEpsilon(epsilon: number): string {
  if (!Number.isFinite(epsilon)) return 'ε —';
  return `ε ${epsilon.toFixed(epsilon >= 100 ? 1 : 3)}`;
}

const superscripts: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** δ in scientific notation as people write it: 1e-5 → "δ 1 × 10⁻⁵". */
export function formatDelta(delta: number): string {
  if (!Number.isFinite(delta) || delta <= 0) return 'δ —';
  const [mantissa = '', exponent = ''] = delta.toExponential().split('e');
  const power = exponent.replace('+', '').replace(/./g, (c) => superscripts[c] ?? c);
  return `δ ${Number(mantissa).toString()} × 10${power}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${s % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatPercent(fraction: number): string {
  return `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)} %`;
}

export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? singular : plural}`;
}

/** The first 12 hex digits: enough to compare by eye; the full hash is in the title and the export. */
export function shortHash(hash: string | null | undefined): string {
  return hash ? `${hash.slice(0, 12)}…` : '—';
}

export interface FileProblem {
  file: string;
  line: number | null;
  field: string | null;
  message: string;
}

/**
 * Splits the participant's dataset errors ("/path/f.csv:7 field "label": empty value…", or
 * "/path/f.parquet row 3 field …") into parts a person can act on. Other messages pass through whole.
 */
export function parseFileProblem(message: string): FileProblem | undefined {
  const match = /^(.+?)(?::(\d+)| row (\d+))(?: field "([^"]*)")?: (.+)$/s.exec(message);
  if (!match) return undefined;
  const [, file, line, row, field, problem] = match;
  const lineNumber = line !== undefined ? Number(line) : Number(row) + 1;
  return { file: file ?? '', line: lineNumber, field: field ?? null, message: problem ?? '' };
}

/**
 * Every problem of a refused dataset: the participant lists one per line. Undefined when the message is not
 * such a list; a closing line that is not a problem (how many more were found) is left to the full message.
 */
export function parseFileProblems(message: string): FileProblem[] | undefined {
  const problems = message.split('\n').flatMap((line) => parseFileProblem(line) ?? []);
  return problems.length > 0 && parseFileProblem(message.split('\n')[0] ?? '') ? problems : undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A held-out evaluation in one line: accuracy and macro-F1 as percentages, loss, and on how many examples. */
export function formatEvaluation(
  evaluation: { accuracy: number; macroF1: number; loss: number; examples: number } | null | undefined,
): string {
  if (!evaluation) return 'not measured (no held-out examples)';
  const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
  return (
    `accuracy ${percent(evaluation.accuracy)}, macro-F1 ${percent(evaluation.macroF1)}, ` +
    `loss ${evaluation.loss.toFixed(4)}, on ${evaluation.examples} held-out examples`
  );
}
