/** The ParticipantApi's federation methods: enrolment, the federations' state, and cancelling a training. */
import type { ParticipantApi } from '../../../preload/contract.ts';
import type { Participation } from '../participation/participation.ts';

export const federationMethodNames = ['federation.enrol', 'federations.list', 'training.cancel'] as const;
export type FederationMethods = Pick<ParticipantApi, (typeof federationMethodNames)[number]>;

export function createFederationMethods(participation: Participation | undefined): FederationMethods {
  const require = (method: string): Participation => {
    if (!participation) throw new Error(`${method}: this participant does not take part in federations here`);
    return participation;
  };
  return {
    'federation.enrol': async (request) => require('federation.enrol').enrol(request),
    'federations.list': async () => (participation ? participation.list() : []),
    'training.cancel': async ({ roundKey }) => (require('training.cancel').cancelTraining(roundKey), { ok: true }),
  };
}
