/** The ParticipantApi's domain methods over an open participant node (app.info lives apart: it needs none). */
import type { ParticipantApi } from '../../../preload/contract.ts';
import type { AuditVerification } from '../audit/audit-verify.ts';
import type { ParticipantNode } from '../participant-node.ts';
import { currentUser } from '../consent/consent-desk.ts';
import { requireAllowedDatasetPath } from '../datasets/dataset-folders.ts';
import { createWorkstationMethods } from './workstation-methods.ts';

import type { federationMethodNames } from './federation-methods.ts';

type DomainApi = Omit<ParticipantApi, 'app.info' | (typeof federationMethodNames)[number]>;

export function budgetStatus(node: ParticipantNode, datasetId: string) {
  const budget = node.ledger.budget(datasetId);
  if (!budget) throw new Error(`dataset ${datasetId} has no privacy budget`);
  const spent = node.ledger.spent(datasetId);
  return { ...budget, spent, remaining: Math.max(0, budget.epsilon - spent), entries: node.ledger.entries(datasetId) };
}

function roundSummaries(node: ParticipantNode) {
  return node.rounds.list().map((round) => ({
    roundKey: round.roundKey,
    federationId: round.task.federationId,
    roundId: round.task.roundId,
    roundNumber: round.task.roundNumber,
    coordinator: round.task.coordinator,
    state: round.state,
    reason: round.reason,
    datasetId: round.datasetId,
    approvedSha256: round.approvedSha256,
    sentSha256: round.sentSha256,
    deadline: round.task.deadline,
    updatedAt: round.updatedAt,
  }));
}

/** `verifyAudit` defaults to the local checks; a node that takes part in federations adds their receipts. */
export function createDomainMethods(
  node: ParticipantNode,
  verifyAudit: () => Promise<AuditVerification> = () => node.verifyAudit(),
): DomainApi {
  return {
    ...createWorkstationMethods(node),
    'datasets.list': async () => node.datasets.listChecked(),
    'datasets.add': async (registration) =>
      node.datasets.register({
        ...registration,
        path: requireAllowedDatasetPath(node.database.db, registration.path, { policy: node.policy }),
      }),
    'datasets.remove': async ({ id }) => (node.datasets.remove(id), { ok: true as const }),
    'datasets.reconfirm': async ({ id }) => node.datasets.reconfirm(id),
    'budget.set': async ({ datasetId, epsilon, delta }) => {
      node.datasets.require(datasetId);
      node.database.db.transaction(() => {
        node.ledger.setBudget(datasetId, epsilon, delta);
        node.audit.append('budget', { datasetId, epsilon, delta, by: currentUser() });
      })();
      return budgetStatus(node, datasetId);
    },
    'budget.show': async ({ datasetId }) => budgetStatus(node, datasetId),
    'budget.project': async ({ datasetId, ...step }) => node.ledger.project(datasetId, step),
    'consent.policy.get': async ({ federationId }) => node.consent.policy(federationId),
    'consent.policy.set': async ({ federationId, policy }) => (
      node.consent.setPolicy(federationId, policy),
      node.consent.policy(federationId)
    ),
    'approvals.pending': async () => node.consent.pending(),
    'approvals.approve': async ({ id, comment }) => node.consent.approve(id, { by: currentUser(), comment }),
    'approvals.decline': async ({ id, comment }) => node.consent.decline(id, { by: currentUser(), comment }),
    'rounds.list': async () => roundSummaries(node),
    'audit.verify': async () => verifyAudit(),
    'audit.entries': async ({ fromSeq = 1, limit = 200 }) =>
      node.audit
        .entries()
        .filter((e) => e.seq >= fromSeq)
        .slice(0, limit),
  };
}

/** Without an open node every domain method explains itself instead of failing obscurely. */
export function unavailableDomainMethods(methodNames: readonly string[], excluded: readonly string[] = []): DomainApi {
  const entries = methodNames
    .filter((name) => name !== 'app.info' && !excluded.includes(name))
    .map((name) => [name, async () => Promise.reject(new Error(`${name}: the participant node is not open`))]);
  return Object.fromEntries(entries) as DomainApi;
}
