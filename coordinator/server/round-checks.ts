/** Whether a participant may still send bytes for a round: it exists, accepts uploads, and has them joined. */
import type { CoordinatorContext } from './coordinator-context.ts';
import { deadlineExceeded, failedPrecondition, notFound, permissionDenied } from './federation-error.ts';

export function checkAcceptingRound(
  context: CoordinatorContext,
  roundId: string,
  participantId: string,
  now = Date.now(),
): void {
  const round = context.store.round(roundId);
  if (!round) throw notFound(`round "${roundId}" does not exist`);
  if (round.state !== 'open' && round.state !== 'collecting')
    throw failedPrecondition(`round ${round.number} is ${round.state} and accepts no uploads`);
  if (now >= round.deadlineAt)
    throw deadlineExceeded(`round ${round.number}'s deadline ${new Date(round.deadlineAt).toISOString()} has passed`);
  const assignment = context.store.assignments(roundId).find((candidate) => candidate.participantId === participantId);
  if (!assignment) throw permissionDenied(`this participant has not joined round ${round.number}`);
  if (assignment.status === 'declined') throw failedPrecondition(`this participant declined round ${round.number}`);
}
