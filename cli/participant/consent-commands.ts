/** `accord participant pending | approve | decline | policy …`. */
import type { Contribution } from '../../main/participant/consent/contribution.ts';
import { currentUser } from '../../main/participant/consent/consent-desk.ts';
import type { ConsentPolicy } from '../../main/participant/consent/consent-policy.ts';
import { numberOption, parseCommandLine } from '../command-line/parse-command-line.ts';
import { printLine } from '../command-line/print-line.ts';
import { UsageError } from '../command-line/usage-error.ts';
import { withParticipantNode } from './with-participant-node.ts';

/** "; compressed (int8), 2051 bytes dense" for a compressed update; nothing for a dense one. */
function compressionOf({ summary }: Contribution): string {
  if (!summary.compression || summary.compression === 'none') return '';
  return `; compressed (${summary.compression}), ${summary.denseBytes ?? '?'} bytes dense`;
}

function describe(c: Contribution): string[] {
  const s = c.summary;
  return [
    `${c.id}  ${c.status}  ${s.federationId} round ${s.roundNumber} (${s.roundId}) → ${s.coordinator}`,
    `  dataset ${s.datasetName} (${s.datasetId}); global model ${s.modelSha256}`,
    `  ${s.bytes} bytes, sha256 ${s.sha256}, L2 norm ${s.l2Norm.toFixed(6)}${compressionOf(c)}`,
    `  ε this round ${s.epsilonRound.toFixed(4)}; ε after ${s.epsilonAfter.toFixed(4)} of ${s.epsilonBudget} (δ ${s.delta}); deadline ${s.deadline}`,
    ...evaluationLines(s),
  ];
}

/** The held-out evaluation a contribution carries, and whether it will be sent (outside the DP guarantee). */
function evaluationLines(s: Contribution['summary']): string[] {
  if (s.evaluation === undefined) return [];
  if (s.evaluation === null) return ['  received model not evaluated: the dataset has no held-out examples'];
  const { accuracy, macroF1, loss, examples } = s.evaluation;
  const sharing = s.metricsShared
    ? 'sent to the coordinator after the update (computed without noise, outside the DP guarantee)'
    : 'kept here, not sent';
  return [
    `  received model on ${examples} held-out examples: accuracy ${accuracy.toFixed(4)}, macro-F1 ${macroF1.toFixed(4)}, loss ${loss.toFixed(4)}`,
    `  evaluation metrics ${sharing}`,
  ];
}

export async function listPending(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { json: { type: 'boolean' } });
  const pending = await withParticipantNode((node) => node.consent.pending());
  if (values.json) printLine(JSON.stringify(pending, null, 2));
  else if (pending.length === 0) printLine('no contributions are waiting for approval');
  else for (const c of pending) describe(c).forEach(printLine);
}

/** `approve ID` or `decline ID`, recorded with the OS user's name and an optional comment. */
export async function decideContribution(decision: 'approve' | 'decline', argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv, { comment: { type: 'string' } }, ['ID']);
  const id = positionals[0] ?? '';
  const decider = { by: currentUser(), comment: values.comment };
  const decided = await withParticipantNode((node) =>
    decision === 'approve' ? node.consent.approve(id, decider) : node.consent.decline(id, decider),
  );
  printLine(`${decided.status} ${decided.id} by ${decided.decidedBy ?? ''} at ${decided.decidedAt ?? ''}`);
}

function parseHours(text: string | undefined): ConsentPolicy['limits']['hours'] {
  if (!text) return undefined;
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(text);
  if (!match) throw new UsageError(`--hours expects FROM-TO in whole hours (e.g. 8-18), got "${text}"`);
  return { from: Number(match[1]), to: Number(match[2]) };
}

export async function showPolicy(argv: string[]): Promise<void> {
  const [federationId = ''] = parseCommandLine(argv, {}, ['FEDERATION']).positionals;
  printLine(JSON.stringify(await withParticipantNode((node) => node.consent.policy(federationId))));
}

export async function setPolicy(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      mode: { type: 'string' },
      'max-epsilon': { type: 'string' },
      'max-norm': { type: 'string' },
      dataset: { type: 'string', multiple: true },
      hours: { type: 'string' },
      metrics: { type: 'string', default: 'share' },
    },
    ['FEDERATION'],
  );
  const federationId = positionals[0] ?? '';
  if (values.mode !== 'ask' && values.mode !== 'auto') throw new UsageError('--mode must be ask or auto');
  if (values.metrics !== 'share' && values.metrics !== 'withhold')
    throw new UsageError(`--metrics must be share or withhold, got "${values.metrics}"`);
  const maxEpsilon = values['max-epsilon'];
  const maxNorm = values['max-norm'];
  const policy: ConsentPolicy = {
    mode: values.mode,
    limits: {
      maxEpsilonRound: maxEpsilon === undefined ? undefined : numberOption(maxEpsilon, 'max-epsilon'),
      maxUpdateNorm: maxNorm === undefined ? undefined : numberOption(maxNorm, 'max-norm'),
      allowedDatasets: values.dataset,
      hours: parseHours(values.hours),
    },
    metrics: values.metrics,
  };
  const saved = await withParticipantNode((node) => {
    node.consent.setPolicy(federationId, policy);
    return node.consent.policy(federationId);
  });
  printLine(JSON.stringify(saved));
}
