/**
 * Deterministic train/validation split. Each example's side is decided by a hash of the seed and the example's
 * content (or its index in the file), so the split is the same on every run, on every machine, whatever the
 * order rows are read in. By content, duplicate rows always land on the same side, so none leaks from train
 * into validation.
 */
import { createHash } from 'node:crypto';

export type SplitName = 'train' | 'validation';

export interface SplitOptions {
  /** Share of examples that go to validation, in [0, 1]. */
  validationFraction: number;
  seed: number | string;
  /** 'content' (default) hashes the example itself; 'index' hashes its position in the file. */
  by?: 'content' | 'index';
}

/** JSON with object keys sorted, so that equal content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A number in [0, 1) from the first 48 bits of SHA-256(seed, key). */
export function splitPoint(seed: number | string, key: string): number {
  const digest = createHash('sha256')
    .update(`${String(seed)}\u0000${key}`)
    .digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

function checkFraction(fraction: number): void {
  if (!(fraction >= 0 && fraction <= 1)) throw new Error(`validationFraction must be in [0, 1], got ${fraction}`);
}

export function splitOf(example: unknown, index: number, options: SplitOptions): SplitName {
  checkFraction(options.validationFraction);
  const key = options.by === 'index' ? `#${index}` : canonicalJson(example);
  return splitPoint(options.seed, key) < options.validationFraction ? 'validation' : 'train';
}

/** Splits examples that carry their file index (as readExamples returns them). */
export function splitExamples<T extends { example: unknown; index: number }>(
  examples: Iterable<T>,
  options: SplitOptions,
): { train: T[]; validation: T[] } {
  const result: { train: T[]; validation: T[] } = { train: [], validation: [] };
  for (const item of examples) result[splitOf(item.example, item.index, options)].push(item);
  return result;
}
