/** `accord participant pending | approve | decline | policy …`. */
import type { Contribution } from '../../main/participant/consent/contribution.ts';
import { currentUser } from '../../main/participant/consent/consent-desk.ts';
import type { ConsentPolicy } from '../../main/participant/consent/consent-policy.ts';
import type { ParticipantNode } from '../../main/participant/participant-node.ts';
import { parseCommand, requireNumber, type Output } from './command-args.ts';

function describe(c: Contribution): string[] {
  const s = c.summary;
  return [
    `${c.id}  ${c.status}  ${s.federationId} round ${s.roundNumber} (${s.roundId}) → ${s.coordinator}`,
    `  dataset ${s.datasetName} (${s.datasetId}); global model ${s.modelSha256}`,
    `  ${s.bytes} bytes, sha256 ${s.sha256}, L2 norm ${s.l2Norm.toFixed(6)}`,
    `  ε this round ${s.epsilonRound.toFixed(4)}; ε after ${s.epsilonAfter.toFixed(4)} of ${s.epsilonBudget} (δ ${s.delta}); deadline ${s.deadline}`,
  ];
}

export async function runApprovalCommand(node: ParticipantNode, argv: string[], out: Output): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseCommand(rest, { comment: { type: 'string' }, json: { type: 'boolean' } });
  if (action === 'pending') {
    const pending = node.consent.pending();
    if (values.json) out(JSON.stringify(pending, null, 2));
    else if (pending.length === 0) out('no contributions are waiting for approval');
    else for (const c of pending) describe(c).forEach((line) => out(line));
    return 0;
  }
  const id = positionals[0];
  if (!id) throw new Error(`usage: accord participant ${action ?? 'approve'} ID [--comment TEXT]`);
  const decider = { by: currentUser(), comment: values.comment };
  const decided = action === 'approve' ? node.consent.approve(id, decider) : node.consent.decline(id, decider);
  out(`${decided.status} ${decided.id} by ${decided.decidedBy ?? ''} at ${decided.decidedAt ?? ''}`);
  return 0;
}

function parseHours(text: string | undefined): ConsentPolicy['limits']['hours'] {
  if (!text) return undefined;
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(text);
  if (!match) throw new Error(`--hours expects FROM-TO in whole hours (e.g. 8-18), got "${text}"`);
  return { from: Number(match[1]), to: Number(match[2]) };
}

export async function runPolicyCommand(node: ParticipantNode, argv: string[], out: Output): Promise<number> {
  const [action, federationId, ...rest] = argv;
  if (!federationId || (action !== 'set' && action !== 'show'))
    throw new Error('usage: accord participant policy set|show FEDERATION');
  const { values } = parseCommand(rest, {
    mode: { type: 'string' },
    'max-epsilon': { type: 'string' },
    'max-norm': { type: 'string' },
    dataset: { type: 'string', multiple: true },
    hours: { type: 'string' },
  });
  if (action === 'set') {
    if (values.mode !== 'ask' && values.mode !== 'auto') throw new Error('--mode must be ask or auto');
    const maxEpsilonRound =
      values['max-epsilon'] === undefined ? undefined : requireNumber(values['max-epsilon'], 'max-epsilon');
    const maxUpdateNorm = values['max-norm'] === undefined ? undefined : requireNumber(values['max-norm'], 'max-norm');
    node.consent.setPolicy(federationId, {
      mode: values.mode,
      limits: { maxEpsilonRound, maxUpdateNorm, allowedDatasets: values.dataset, hours: parseHours(values.hours) },
    });
  }
  out(JSON.stringify(node.consent.policy(federationId)));
  return 0;
}
