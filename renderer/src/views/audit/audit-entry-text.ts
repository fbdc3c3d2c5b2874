/** Says what an audit entry records in a sentence, and lists its fields as label/value pairs (never raw JSON). */
import { formatBytes, formatEpsilon, shortHash } from '../../lib/format.ts';

type Data = Record<string, unknown>;

const kindLabels: Record<string, string> = {
  enrolment: 'Enrolment',
  invitation: 'Round invitation',
  acceptance: 'Round accepted',
  download: 'Model downloaded',
  training: 'Local training',
  update: 'Update prepared',
  decision: 'Decision',
  'ledger.debit': 'Privacy budget debited',
  'upload.intent': 'About to send',
  upload: 'Update sent',
  'round.closed': 'Round closed',
  dataset: 'Dataset',
  budget: 'Privacy budget set',
  policy: 'Consent policy',
};

export function kindLabel(kind: string): string {
  return kindLabels[kind] ?? kind.replace(/[._]/g, ' ');
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

export function summarizeAuditEntry(kind: string, data: Data): string {
  const round = data.roundNumber !== undefined ? `round ${text(data.roundNumber)}` : text(data.roundKey);
  switch (kind) {
    case 'dataset':
      return `Dataset ${text(data.name || data.datasetId)} ${text(data.action)}${data.rows ? ` (${text(data.rows)} rows)` : ''}`;
    case 'budget':
      return `Budget set to ${formatEpsilon(num(data.epsilon))}, δ ${text(data.delta)} by ${text(data.by)}`;
    case 'decision':
      return `${text(data.decision ?? data.status) || 'Decided'} by ${text(data.by ?? data.decidedBy) || 'policy'} for ${round}`;
    case 'ledger.debit':
      return `${formatEpsilon(num(data.epsilonRound))} spent for ${round}, ${formatEpsilon(num(data.epsilonAfter))} in total`;
    case 'upload':
      return `Sent ${formatBytes(num(data.bytes))} for ${round}, SHA-256 ${shortHash(text(data.sentSha256 ?? data.sha256))}, receipted`;
    case 'invitation':
      return `Invited to ${round} by ${text(data.coordinator)}`;
    case 'round.closed':
      return `Round ${text(data.state ?? data.outcome)}${data.reason ? `: ${text(data.reason)}` : ''}`;
    default:
      return `${kindLabel(kind)}${round ? ` — ${round}` : ''}`;
  }
}

const fieldLabels: Record<string, string> = {
  datasetId: 'Dataset id',
  roundKey: 'Round',
  sha256: 'SHA-256',
  modelSha256: 'Global model SHA-256',
  epsilonRound: 'ε this round',
  epsilonAfter: 'ε after',
  epsilonBefore: 'ε before',
  bytes: 'Size',
  approvedSha256: 'Approved SHA-256',
  sentSha256: 'Sent SHA-256',
};

function formatValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (key === 'bytes' && typeof value === 'number') return formatBytes(value);
  if (key.startsWith('epsilon') && typeof value === 'number') return formatEpsilon(value);
  if (Array.isArray(value)) return value.map((item) => formatValue('', item)).join(', ');
  if (typeof value === 'object')
    return Object.entries(value as Data)
      .map(([k, v]) => `${k} ${formatValue(k, v)}`)
      .join(', ');
  return String(value);
}

export function auditFields(data: Data): { label: string; value: string }[] {
  return Object.entries(data).map(([key, value]) => ({
    label: fieldLabels[key] ?? key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()),
    value: formatValue(key, value),
  }));
}
