/** One federation as the UI sees it: who the coordinator is, the connection, and where its rounds stand. */
import type { ConnectionState, FederationRound, FederationView } from '../../../preload/contract.ts';
import type { RoundRecord } from '../rounds/round-store.ts';
import { terminalStates } from '../rounds/round-state.ts';
import type { EnrolledFederation } from '../enrolment/federation-registry.ts';

function roundView(round: RoundRecord): FederationRound {
  return {
    roundKey: round.roundKey,
    roundId: round.task.roundId,
    roundNumber: round.task.roundNumber,
    state: round.state,
    reason: round.reason,
    deadline: round.task.deadline,
    updatedAt: round.updatedAt,
  };
}

export function federationView(
  federation: EnrolledFederation,
  connection: ConnectionState,
  rounds: readonly RoundRecord[],
): FederationView {
  const mine = rounds
    .filter((round) => round.task.federationId === federation.id)
    .sort((a, b) => a.task.roundNumber - b.task.roundNumber);
  const current = mine.filter((round) => !terminalStates.has(round.state)).at(-1);
  const last = mine.filter((round) => terminalStates.has(round.state)).at(-1);
  const lastNumber = mine.at(-1)?.task.roundNumber ?? 0;
  return {
    id: federation.id,
    name: federation.name,
    coordinator: federation.coordinator,
    participantId: federation.participantId,
    publicKeySha256: federation.publicKeySha256,
    enrolledAt: federation.enrolledAt,
    connection,
    currentRound: current ? roundView(current) : null,
    lastRound: last ? roundView(last) : null,
    nextRound: current ? null : { roundNumber: lastNumber + 1 },
  };
}
