/**
 * Who shares secrets and masks with whom. Classic SecAgg (Bonawitz et al. 2017) uses the complete
 * graph; SecAgg+ (Bell et al. 2020) a sparse k-regular graph, so each participant's work and traffic
 * grow with k rather than n. Our k-regular graph is a Harary (circulant) graph laid on a uniformly
 * random order of the participants: each is joined to the ⌊k/2⌋ before and after it on the ring, and
 * for odd k to the one opposite. The random order is what Bell et al.'s analysis needs — the server
 * cannot be trusted to pick it in the malicious model, but in the honest-but-curious model it can.
 */
import { randomInt } from 'node:crypto';

export type NeighbourGraphSpec =
  { readonly kind: 'complete' } | { readonly kind: 'k-regular'; readonly degree: number };

/** Each participant's peers (itself excluded), sorted. */
export type NeighbourGraph = ReadonlyMap<string, readonly string[]>;

/** The number of peers each participant has under a spec, for n participants. */
export function graphDegree(spec: NeighbourGraphSpec, participants: number): number {
  return spec.kind === 'complete' ? participants - 1 : spec.degree;
}

export function assertGraphFits(spec: NeighbourGraphSpec, participants: number): void {
  const degree = graphDegree(spec, participants);
  if (!Number.isInteger(degree) || degree < 1 || degree > participants - 1) {
    throw new RangeError(
      `neighbour degree ${degree} must be an integer in 1…${participants - 1} for ${participants} participants`,
    );
  }
  if (degree % 2 === 1 && participants % 2 === 1) {
    throw new RangeError(
      `no ${degree}-regular graph on ${participants} participants exists (odd degree needs an even count)`,
    );
  }
}

/** Builds the graph over `ids`; `pick(n)` draws uniformly from 0…n−1 (a CSPRNG unless a test fixes it). */
export function buildNeighbourGraph(
  ids: readonly string[],
  spec: NeighbourGraphSpec,
  pick: (n: number) => number = randomInt,
): NeighbourGraph {
  if (new Set(ids).size !== ids.length) throw new RangeError('participant ids must be unique');
  assertGraphFits(spec, ids.length);
  const n = ids.length;
  const degree = graphDegree(spec, n);
  const ring = [...ids];
  for (let i = n - 1; i > 0; i--) {
    const j = pick(i + 1);
    [ring[i], ring[j]] = [ring[j]!, ring[i]!];
  }
  const peers = new Map<string, Set<string>>(ids.map((id) => [id, new Set<string>()]));
  const join = (a: number, b: number): void => {
    peers.get(ring[a]!)!.add(ring[(a + b) % n]!);
    peers.get(ring[(a + b) % n]!)!.add(ring[a]!);
  };
  for (let position = 0; position < n; position++) {
    for (let step = 1; step <= Math.floor(degree / 2); step++) join(position, step);
    if (degree % 2 === 1) join(position, n / 2);
  }
  return new Map([...peers].map(([id, set]) => [id, [...set].sort()]));
}

/**
 * The connected components of the graph restricted to `members`. Pairwise masks cancel within each
 * component, so once self masks are removed the server could read each component's sum on its own.
 */
export function componentsWithin(graph: NeighbourGraph, members: ReadonlySet<string>): string[][] {
  const seen = new Set<string>();
  const components: string[][] = [];
  for (const start of [...members].sort()) {
    if (seen.has(start)) continue;
    const component: string[] = [];
    const queue = [start];
    seen.add(start);
    while (queue.length > 0) {
      const id = queue.pop()!;
      component.push(id);
      for (const peer of graph.get(id) ?? []) {
        if (members.has(peer) && !seen.has(peer)) {
          seen.add(peer);
          queue.push(peer);
        }
      }
    }
    components.push(component.sort());
  }
  return components;
}
