import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDelta,
  formatDuration,
  formatEpsilon,
  formatEvaluation,
  parseFileProblem,
  shortHash,
} from '../../../renderer/src/lib/format.ts';
import { DatasetValidationError } from '../../../main/participant/datasets/dataset-validation.ts';

describe('figures with units', () => {
  it('shows bytes in B, KB and MB (1 KB = 1024 B)', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KB'); // 1536 / 1024 = 1.5
    expect(formatBytes(5 * 1024 * 1024 + 512 * 1024)).toBe('5.50 MB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('shows ε with three decimals, δ as a power of ten, durations in s, min and h', () => {
    expect(formatEpsilon(7.32911117143)).toBe('ε 7.329');
    expect(formatDelta(1e-5)).toBe('δ 1 × 10⁻⁵');
    expect(formatDelta(2.5e-6)).toBe('δ 2.5 × 10⁻⁶');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3725)).toBe('1 h 2 min'); // 3725 s = 62 min 5 s
  });

  it('shortens a hash for the eye and says when there is none', () => {
    expect(shortHash('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`);
    expect(shortHash(null)).toBe('—');
  });
});

describe('parseFileProblem', () => {
  it("splits the participant's own dataset errors into file, line, field and problem", () => {
    const error = new DatasetValidationError('/data/a.csv', 7, 'label', 'empty value for the label column');
    expect(parseFileProblem(error.message)).toEqual({
      file: '/data/a.csv',
      line: 7,
      field: 'label',
      message: 'empty value for the label column',
    });
  });

  it('gives a Parquet row as a 1-based line and accepts errors without a field', () => {
    const error = new DatasetValidationError('/d/b.parquet', 4, undefined, 'bad row', '/d/b.parquet row 3');
    expect(parseFileProblem(error.message)).toEqual({ file: '/d/b.parquet', line: 4, field: null, message: 'bad row' });
  });

  it('leaves other messages alone', () => {
    expect(parseFileProblem('the participant node is not open')).toBeUndefined();
  });
});

describe('formatEvaluation', () => {
  it('shows rates as percentages, the loss and on how many held-out examples', () => {
    expect(formatEvaluation({ accuracy: 0.8125, macroF1: 0.79, loss: 0.45678, examples: 160 })).toBe(
      'accuracy 81.3 %, macro-F1 79.0 %, loss 0.4568, on 160 held-out examples',
    );
  });

  it('says when nothing was measured', () => {
    expect(formatEvaluation(null)).toBe('not measured (no held-out examples)');
  });
});
