/** Builds and runs in-process rounds for the secure-aggregation tests. */
import { randomInt } from 'node:crypto';
import type { SecAggStage } from '../../../engine/secagg/errors.ts';
import { InProcessTransport, type InProcessMember } from '../../../engine/secagg/in-process-transport.ts';
import type { NeighbourGraphSpec } from '../../../engine/secagg/neighbour-graph.ts';
import { SecAggParticipant } from '../../../engine/secagg/participant.ts';
import { runSecAggRound } from '../../../engine/secagg/round-driver.ts';
import { SecAggServer } from '../../../engine/secagg/server.ts';

export interface RoundSetup {
  readonly n: number;
  readonly threshold: number;
  readonly graph: NeighbourGraphSpec;
  readonly vectorLength: number;
  readonly clipRange?: number;
  readonly bitsPerValue?: number;
  /** Participants by index that stop answering from a stage on. */
  readonly drops?: ReadonlyMap<number, SecAggStage>;
  /** Drops chosen after the server drew its neighbour graph. */
  readonly dropsFor?: (server: SecAggServer, ids: readonly string[]) => ReadonlyMap<number, SecAggStage>;
}

export function participantId(index: number): string {
  return `site-${String(index).padStart(3, '0')}`;
}

/** Random updates in [−R, R], with the end points themselves at the first two coordinates. */
export function randomUpdate(length: number, clipRange: number): Float32Array {
  const update = Float32Array.from({ length }, () => ((randomInt(0, 2 ** 24) / 2 ** 24) * 2 - 1) * clipRange);
  if (length > 1) [update[0], update[1]] = [clipRange, -clipRange];
  return update;
}

export function makeRound(setup: RoundSetup) {
  const clipRange = setup.clipRange ?? 1;
  const ids = Array.from({ length: setup.n }, (_, i) => participantId(i));
  const server = new SecAggServer({
    roundId: `round-${randomInt(1e9)}`,
    participantIds: ids,
    threshold: setup.threshold,
    graph: setup.graph,
    vectorLength: setup.vectorLength,
    quantization: { clipRange, bitsPerValue: setup.bitsPerValue ?? 20 },
  });
  const drops = setup.dropsFor?.(server, ids) ?? setup.drops;
  const members = new Map<string, InProcessMember>(
    ids.map((id, i) => [
      id,
      {
        participant: new SecAggParticipant(id),
        update: randomUpdate(setup.vectorLength, clipRange),
        dropAt: drops?.get(i),
      },
    ]),
  );
  const transport = new InProcessTransport(members);
  return {
    ids,
    members,
    server,
    transport,
    drops: drops ?? new Map<number, SecAggStage>(),
    run: () => runSecAggRound(server, transport),
  };
}

/** The exact float64 sum of the named members' updates: the reference the protocol must match. */
export function plaintextSum(
  members: ReadonlyMap<string, InProcessMember>,
  ids: readonly string[],
  length: number,
): Float64Array {
  const sum = new Float64Array(length);
  for (const id of ids) members.get(id)!.update.forEach((value, i) => (sum[i] = sum[i]! + value));
  return sum;
}

export function maxAbsDifference(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
