/**
 * Splits one dataset among simulated participants, for federated experiments and demos on one machine:
 * - IID: a seeded shuffle dealt out in turn, so every participant gets the same label mix;
 * - label-skewed non-IID: for each label, its examples are divided in proportions drawn from a symmetric
 *   Dirichlet(alpha) (Hsu, Qi and Brown 2019, "Measuring the Effects of Non-Identical Data Distribution for
 *   Federated Visual Classification"). Small alpha (0.1) gives each participant few labels; large alpha (100)
 *   approaches IID.
 * Both are deterministic for a seed. Every example goes to exactly one participant.
 */
import { SeededRandom } from '../random/seeded-random.ts';
import { dirichlet } from './dirichlet.ts';

export interface DirichletOptions {
  participants: number;
  alpha: number;
  seed: number | string;
  /** Redraw (up to 100 times) until every participant has at least this many examples. */
  minPerParticipant?: number;
}

function checkParticipants(participants: number, examples: number): void {
  if (!Number.isInteger(participants) || participants < 1)
    throw new Error(`participants must be a positive integer, got ${participants}`);
  if (examples < participants)
    throw new Error(`${examples} examples cannot be split among ${participants} participants`);
}

export function partitionIid<T>(items: readonly T[], participants: number, seed: number | string): T[][] {
  checkParticipants(participants, items.length);
  const parts: T[][] = Array.from({ length: participants }, () => []);
  new SeededRandom(seed).shuffle(items).forEach((item, i) => parts[i % participants]!.push(item));
  return parts;
}

/** Cut `count` items into parts of the given proportions (largest remainders, so the sizes add up exactly). */
function sizesFor(count: number, proportions: readonly number[]): number[] {
  const exact = proportions.map((p) => p * count);
  const sizes = exact.map(Math.floor);
  let left = count - sizes.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, i) => [value - Math.floor(value), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of byRemainder) {
    if (left === 0) break;
    sizes[i]! += 1;
    left -= 1;
  }
  return sizes;
}

function drawDirichlet<T>(byLabel: Map<string, T[]>, options: DirichletOptions, random: SeededRandom): T[][] {
  const parts: T[][] = Array.from({ length: options.participants }, () => []);
  for (const group of byLabel.values()) {
    const shuffled = random.shuffle(group);
    let start = 0;
    sizesFor(shuffled.length, dirichlet(random, options.alpha, options.participants)).forEach((size, p) => {
      parts[p]!.push(...shuffled.slice(start, start + size));
      start += size;
    });
  }
  return parts;
}

export function partitionDirichlet<T>(
  items: readonly T[],
  labelOf: (item: T) => string,
  options: DirichletOptions,
): T[][] {
  checkParticipants(options.participants, items.length);
  if (!(options.alpha > 0)) throw new Error(`alpha must be positive, got ${options.alpha}`);
  const byLabel = new Map<string, T[]>();
  for (const item of items) {
    const label = labelOf(item);
    const group = byLabel.get(label);
    if (group) group.push(item);
    else byLabel.set(label, [item]);
  }
  const sortedLabels = new Map([...byLabel.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const random = new SeededRandom(options.seed);
  const minimum = options.minPerParticipant ?? 1;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const parts = drawDirichlet(sortedLabels, options, random);
    if (parts.every((part) => part.length >= minimum)) return parts;
  }
  throw new Error(
    `no Dirichlet(${options.alpha}) split in 100 draws gave each of ${options.participants} participants ` +
      `${minimum} examples; raise alpha or lower minPerParticipant`,
  );
}
