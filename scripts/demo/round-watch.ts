/**
 * Follows the demo's coordinator: prints each round's participation (who sent an update, who declined) and the
 * global model's accuracy on the union test set, and says when a participant waits for a person.
 */
import type { Coordinator } from '../../coordinator/coordinator.ts';
import type { SampleParticipant } from './sample-participant.ts';

export interface RoundWatchOptions {
  readonly coordinator: Coordinator;
  readonly rounds: number;
  readonly participants: readonly SampleParticipant[];
  readonly accuracyOf: (checkpointPath: string) => Promise<number>;
  readonly say: (line: string) => void;
}

function percent(value: number): string {
  return `${(100 * value).toFixed(1)} %`;
}

function announceWaiting(participants: readonly SampleParticipant[], say: (line: string) => void): () => void {
  const stops = participants.map((participant) =>
    participant.node.events.on('approvals.waiting', ({ count }) => {
      if (count > 0) say(`  … ${participant.name} has ${count} contribution(s) waiting for a person in its UI`);
    }),
  );
  return () => stops.forEach((stop) => stop());
}

function describeRound(coordinator: Coordinator, number: number): string {
  const store = coordinator.context.store;
  const round = store.rounds().find((row) => row.number === number && row.outcome === 'aggregated');
  if (!round) return '';
  const nameOf = (id: string) => store.participant(id)?.displayName ?? id;
  const uploads = store.committedUploads(round.id);
  const declined = store.assignments(round.id).filter((assignment) => assignment.status === 'declined');
  const examples = uploads.reduce((sum, upload) => sum + upload.numExamples, 0);
  const seconds = ((round.closedAt ?? Date.now()) - round.openedAt) / 1000;
  const declines = declined.map((a) => `${nameOf(a.participantId)} declined (${a.reason ?? 'no reason'})`).join('; ');
  return (
    `${uploads.length}/${store.participantCount()} participants (${uploads.map((u) => nameOf(u.participantId)).join(', ')}; ` +
    `${examples} examples)${declines ? `; ${declines}` : ''}; ${seconds.toFixed(1)} s`
  );
}

export async function watchRounds(options: RoundWatchOptions): Promise<void> {
  const { coordinator, rounds, participants, accuracyOf, say } = options;
  const store = coordinator.context.store;
  const started = Date.now();
  say(`Round 0 (initial model): global accuracy ${percent(await accuracyOf(store.checkpoint(0)!.path))}`);
  const stop = announceWaiting(participants, say);
  try {
    for (let number = 1; number <= rounds; number += 1) {
      while (!store.checkpoint(number)) await new Promise((resolve) => setTimeout(resolve, 250));
      const accuracy = await accuracyOf(store.checkpoint(number)!.path);
      say(`Round ${number}: ${describeRound(coordinator, number)}; global accuracy ${percent(accuracy)}`);
    }
  } finally {
    stop();
  }
  say(`Done: ${rounds} rounds in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}
