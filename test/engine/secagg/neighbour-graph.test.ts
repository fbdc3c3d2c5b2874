import { describe, expect, it } from 'vitest';
import { buildNeighbourGraph, componentsWithin } from '../../../engine/secagg/neighbour-graph.ts';

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `p${i}`);

function expectRegularAndSymmetric(graph: ReadonlyMap<string, readonly string[]>, degree: number): void {
  for (const [id, peers] of graph) {
    expect(peers).toHaveLength(degree);
    expect(new Set(peers).size).toBe(degree);
    expect(peers).not.toContain(id);
    for (const peer of peers) expect(graph.get(peer)).toContain(id);
  }
}

describe('neighbour graphs', () => {
  it('complete graph: everyone is everyone else’s neighbour (odd and even n)', () => {
    for (const n of [3, 4, 9, 10]) {
      const graph = buildNeighbourGraph(ids(n), { kind: 'complete' });
      expectRegularAndSymmetric(graph, n - 1);
    }
  });

  it('k-regular graphs are k-regular and symmetric for even and odd k', () => {
    expectRegularAndSymmetric(buildNeighbourGraph(ids(50), { kind: 'k-regular', degree: 10 }), 10);
    expectRegularAndSymmetric(buildNeighbourGraph(ids(20), { kind: 'k-regular', degree: 5 }), 5);
    expectRegularAndSymmetric(buildNeighbourGraph(ids(7), { kind: 'k-regular', degree: 2 }), 2);
  });

  it('lays the ring on a random order: with the identity order it is the Harary circulant', () => {
    const graph = buildNeighbourGraph(ids(8), { kind: 'k-regular', degree: 4 }, (n) => n - 1);
    expect(graph.get('p0')).toEqual(['p1', 'p2', 'p6', 'p7']);
    const shuffled = new Set(
      Array.from({ length: 20 }, () =>
        buildNeighbourGraph(ids(30), { kind: 'k-regular', degree: 4 }).get('p0')!.join(),
      ),
    );
    expect(shuffled.size).toBeGreaterThan(1);
  });

  it('refuses impossible graphs', () => {
    expect(() => buildNeighbourGraph(ids(7), { kind: 'k-regular', degree: 3 })).toThrow(
      /odd degree needs an even count/,
    );
    expect(() => buildNeighbourGraph(ids(5), { kind: 'k-regular', degree: 5 })).toThrow(/1…4 for 5 participants/);
    expect(() => buildNeighbourGraph(['a', 'a', 'b'], { kind: 'complete' })).toThrow(/unique/);
  });
});

describe('componentsWithin', () => {
  it('splits a ring where two non-adjacent members are missing, and not where one is', () => {
    // Identity order: p0–p1–…–p7–p0.
    const ring = buildNeighbourGraph(ids(8), { kind: 'k-regular', degree: 2 }, (n) => n - 1);
    const without = (...missing: string[]) => new Set(ids(8).filter((id) => !missing.includes(id)));
    expect(componentsWithin(ring, without('p0', 'p4'))).toEqual([
      ['p1', 'p2', 'p3'],
      ['p5', 'p6', 'p7'],
    ]);
    expect(componentsWithin(ring, without('p0'))).toHaveLength(1);
    const complete = buildNeighbourGraph(ids(8), { kind: 'complete' });
    expect(componentsWithin(complete, without('p0', 'p3', 'p5'))).toHaveLength(1);
  });
});
