/** Groups the rounds this workstation has seen by federation: its coordinator, current and last finished round. */
import type { RoundSummary } from '../../../../preload/contract.ts';

export interface FederationSummary {
  federationId: string;
  coordinator: string;
  current: RoundSummary | undefined;
  latest: RoundSummary | undefined;
  rounds: number;
}

const finished = new Set(['receipted', 'declined', 'expired', 'failed']);

export function summarizeFederations(rounds: readonly RoundSummary[]): FederationSummary[] {
  const byFederation = new Map<string, RoundSummary[]>();
  for (const round of rounds) {
    byFederation.set(round.federationId, [...(byFederation.get(round.federationId) ?? []), round]);
  }
  return [...byFederation].map(([federationId, list]) => {
    const sorted = [...list].sort((a, b) => b.roundNumber - a.roundNumber);
    return {
      federationId,
      coordinator: sorted[0]?.coordinator ?? '',
      current: sorted.find((round) => !finished.has(round.state)),
      latest: sorted.find((round) => finished.has(round.state)),
      rounds: list.length,
    };
  });
}
