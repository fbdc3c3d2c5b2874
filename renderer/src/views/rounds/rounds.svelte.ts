/**
 * The Rounds view's state: contributions awaiting a decision (with everything the person must see before
 * approving) and the history of rounds with their outcomes.
 */
import type { ContributionView, ParticipantApi, RoundSummary } from '../../../../preload/contract.ts';
import { errorMessage } from '../../lib/format.ts';

type RoundsApi = Pick<
  ParticipantApi,
  'approvals.pending' | 'approvals.approve' | 'approvals.decline' | 'rounds.list' | 'federations.list'
>;

export type Outcome = { label: string; tone: 'good' | 'bad' | 'waiting' | 'active' };

/** What a round's state means to a person, and whether it went well. */
export function outcomeOf(state: RoundSummary['state']): Outcome {
  const outcomes: Record<RoundSummary['state'], Outcome> = {
    invited: { label: 'Invited', tone: 'active' },
    accepted: { label: 'Accepted', tone: 'active' },
    downloaded: { label: 'Model downloaded', tone: 'active' },
    training: { label: 'Training', tone: 'active' },
    update_ready: { label: 'Update ready', tone: 'active' },
    awaiting_approval: { label: 'Awaiting approval', tone: 'waiting' },
    approved: { label: 'Approved', tone: 'active' },
    masked: { label: 'Masked', tone: 'active' },
    uploading: { label: 'Uploading', tone: 'active' },
    uploaded: { label: 'Uploaded', tone: 'active' },
    receipted: { label: 'Sent and receipted', tone: 'good' },
    declined: { label: 'Declined', tone: 'bad' },
    expired: { label: 'Expired', tone: 'bad' },
    failed: { label: 'Failed', tone: 'bad' },
  };
  return outcomes[state];
}

export class RoundsController {
  readonly api: RoundsApi;
  pending = $state<ContributionView[]>([]);
  rounds = $state<RoundSummary[]>([]);
  comments = $state<Record<string, string>>({});
  loaded = $state(false);
  error = $state<string | undefined>(undefined);
  status = $state('');
  deciding = $state<string | undefined>(undefined);
  /** Federation id → its name, for federations this node is enrolled in. */
  federationNames = $state<Record<string, string>>({});
  history = $derived([...this.rounds].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)));

  constructor(api: RoundsApi) {
    this.api = api;
  }

  async load(): Promise<void> {
    try {
      const [pending, rounds] = await Promise.all([this.api['approvals.pending']({}), this.api['rounds.list']({})]);
      this.pending = pending;
      this.rounds = rounds;
      const federations = await this.api['federations.list']({});
      this.federationNames = Object.fromEntries(federations.map((federation) => [federation.id, federation.name]));
      this.error = undefined;
    } catch (error) {
      this.error = errorMessage(error);
    }
    this.loaded = true;
  }

  federationName(id: string): string {
    return this.federationNames[id] ?? id;
  }

  async decide(id: string, decision: 'approve' | 'decline'): Promise<void> {
    const comment = this.comments[id]?.trim() || undefined;
    this.deciding = id;
    this.error = undefined;
    try {
      const method = decision === 'approve' ? 'approvals.approve' : 'approvals.decline';
      const contribution = await this.api[method]({ id, ...(comment ? { comment } : {}) });
      const { roundNumber, coordinator } = contribution.summary;
      this.status =
        decision === 'approve'
          ? `Approved round ${roundNumber} for ${coordinator}: the update is being sent.`
          : `Declined round ${roundNumber}: nothing was sent to ${coordinator}.`;
      delete this.comments[id];
      await this.load();
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.deciding = undefined;
    }
  }
}
