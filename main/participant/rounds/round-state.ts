/**
 * The round states of docs/architecture.md ("A round and its four invariants"), plus 'uploading': the durable audit
 * entry of what is about to leave has been written, and the bytes may be on their way.
 */
import { RoundStateName } from '../../../preload/participant-schemas.ts';

// One list for the node and the contract: the contract's schema is where the renderer learns the states.
export const roundStates = RoundStateName.options;

export type RoundState = (typeof roundStates)[number];

export const terminalStates: ReadonlySet<RoundState> = new Set(['receipted', 'declined', 'expired', 'failed']);

/** States from which a crash must not re-run anything that already left or was debited. */
export const approvedStates: ReadonlySet<RoundState> = new Set([
  'approved',
  'masked',
  'uploading',
  'uploaded',
  'receipted',
]);

export function roundKeyOf(federationId: string, roundId: string): string {
  return `${federationId}/${roundId}`;
}
