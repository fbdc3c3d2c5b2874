import { describe, expect, it } from 'vitest';
import { canonicalJson, splitExamples, splitOf } from '../../../engine/data/split.ts';

const examples = Array.from({ length: 2000 }, (_, index) => ({
  example: { text: `sentence ${index}`, label: String(index % 2) },
  index,
}));

describe('deterministic split', () => {
  it('puts about the asked share in validation', () => {
    const { train, validation } = splitExamples(examples, { validationFraction: 0.2, seed: 7 });
    expect(train.length + validation.length).toBe(2000);
    // Binomial(2000, 0.2): mean 400, sd ≈ 17.9; ±5 sd.
    expect(validation.length).toBeGreaterThan(400 - 90);
    expect(validation.length).toBeLessThan(400 + 90);
  });

  it('does not depend on reading order, and changes with the seed', () => {
    const forward = splitExamples(examples, { validationFraction: 0.2, seed: 7 });
    const backward = splitExamples([...examples].reverse(), { validationFraction: 0.2, seed: 7 });
    const ids = (list: { index: number }[]) => list.map((e) => e.index).sort((a, b) => a - b);
    expect(ids(backward.validation)).toEqual(ids(forward.validation));
    const other = splitExamples(examples, { validationFraction: 0.2, seed: 8 });
    expect(ids(other.validation)).not.toEqual(ids(forward.validation));
  });

  it('sends duplicate content to the same side, unless splitting by index', () => {
    const a = { text: 'same', label: '1' };
    const b = { label: '1', text: 'same' }; // same content, other key order
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    for (let seed = 0; seed < 50; seed += 1)
      expect(splitOf(a, 1, { validationFraction: 0.5, seed })).toBe(splitOf(b, 999, { validationFraction: 0.5, seed }));
    const byIndex = Array.from({ length: 50 }, (_, i) =>
      splitOf(a, i, { validationFraction: 0.5, seed: 1, by: 'index' }),
    );
    expect(new Set(byIndex).size).toBe(2);
  });

  it('keeps everything in train at fraction 0 and refuses a fraction outside [0, 1]', () => {
    expect(splitExamples(examples, { validationFraction: 0, seed: 1 }).validation).toHaveLength(0);
    expect(() => splitOf({}, 0, { validationFraction: 1.5, seed: 1 })).toThrow(/\[0, 1\]/);
  });
});
