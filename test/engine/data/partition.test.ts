import { describe, expect, it } from 'vitest';
import { partitionDirichlet, partitionIid } from '../../../engine/data/partition.ts';

// 600 examples, 3 labels in equal shares.
const items = Array.from({ length: 600 }, (_, id) => ({ id, label: String(id % 3) }));
const labelOf = (item: { label: string }) => item.label;

/** Mean total-variation distance between each participant's label mix and the overall one (1/3 each). */
function labelSkew(parts: { label: string }[][]): number {
  const distances = parts.map((part) => {
    const shares = ['0', '1', '2'].map((label) => part.filter((item) => item.label === label).length / part.length);
    return shares.reduce((sum, share) => sum + Math.abs(share - 1 / 3), 0) / 2;
  });
  return distances.reduce((a, b) => a + b, 0) / distances.length;
}

function expectEachOnce(parts: { id: number }[][]): void {
  const ids = parts.flat().map((item) => item.id);
  expect(ids).toHaveLength(items.length);
  expect(new Set(ids).size).toBe(items.length);
}

describe('partitioning among participants', () => {
  it('IID: deals every example once, in parts that differ by at most one, the same for a seed', () => {
    const parts = partitionIid(items, 7, 'seed');
    expectEachOnce(parts);
    const sizes = parts.map((part) => part.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(partitionIid(items, 7, 'seed')).toEqual(parts);
    expect(labelSkew(parts)).toBeLessThan(0.1);
  });

  it('Dirichlet: every example once, reproducible, and skewed more as alpha shrinks', () => {
    const skewed = partitionDirichlet(items, labelOf, { participants: 5, alpha: 0.1, seed: 1 });
    const mild = partitionDirichlet(items, labelOf, { participants: 5, alpha: 100, seed: 1 });
    expectEachOnce(skewed);
    expectEachOnce(mild);
    expect(partitionDirichlet(items, labelOf, { participants: 5, alpha: 0.1, seed: 1 })).toEqual(skewed);
    // alpha = 100: proportions near 1/5 for every label, so label mixes near the overall one;
    // alpha = 0.1: most of a label goes to one or two participants.
    expect(labelSkew(mild)).toBeLessThan(0.1);
    expect(labelSkew(skewed)).toBeGreaterThan(0.3);
  });

  it('redraws until each participant has the minimum, and says when it cannot', () => {
    const parts = partitionDirichlet(items, labelOf, { participants: 4, alpha: 0.5, seed: 2, minPerParticipant: 50 });
    for (const part of parts) expect(part.length).toBeGreaterThanOrEqual(50);
    expect(() =>
      partitionDirichlet(items, labelOf, { participants: 4, alpha: 0.5, seed: 2, minPerParticipant: 200 }),
    ).toThrow(/raise alpha or lower minPerParticipant/);
    expect(() => partitionIid(items.slice(0, 2), 3, 1)).toThrow(/2 examples cannot be split among 3 participants/);
  });
});
