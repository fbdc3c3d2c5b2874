/**
 * The coordinator's signed receipts as a witness of the audit log. Each receipt signs the sequence number
 * and hash of the entry that recorded its upload's intent, so the log must still hold that entry, unchanged,
 * at that place: with the chain intact, every entry up to the newest receipted one is then proved present
 * and unchanged, even when the database and the keychain anchor were both reset. Entries after it are
 * protected only by the local anchor.
 */
import type { UploadReceipt } from '../../../protocol/receipt.ts';
import type { AuditEntry } from './audit-log.ts';
import type { AuditProblem } from './audit-problem.ts';

/** One federation's receipts, or why they could not be fetched. */
export type FetchedReceipts =
  | { readonly federationId: string; readonly receipts: readonly UploadReceipt[] }
  | { readonly federationId: string; readonly error: string };

export interface ReceiptWitness {
  readonly problems: AuditProblem[];
  /** The newest entry a receipt witnesses, or null when none does. */
  readonly witnessedSeq: number | null;
  /** The round of the receipt that witnesses it. */
  readonly witnessedRoundId: string | null;
  /** In words: what the receipts prove, what they cannot, and which could not be fetched. */
  readonly statement: string;
}

type WitnessingReceipt = UploadReceipt & { readonly auditSeq: number; readonly auditHash: string };

function receiptProblem(receipt: WitnessingReceipt, bySeq: Map<number, AuditEntry>, last: number) {
  const by = `the coordinator's receipt of round ${receipt.roundId} (upload ${receipt.uploadId})`;
  const seq = receipt.auditSeq;
  const entry = bySeq.get(seq);
  if (!entry && seq > last)
    return { seq, problem: 'truncated' as const, message: `entry ${seq} is missing: ${by} witnesses the log up to it` };
  if (!entry) return { seq, problem: 'removed' as const, message: `entry ${seq} was removed: ${by} witnesses it` };
  if (entry.hash === receipt.auditHash) return undefined;
  return {
    seq,
    problem: 'changed' as const,
    message: `entry ${seq} (${entry.kind}) is not the entry ${by} witnesses: the log was rewritten up to it`,
  };
}

function witnessStatement(newest: WitnessingReceipt | undefined, last: number, failed: string[]): string {
  const fetchFailures = failed.map((reason) => ` ${reason}`).join('');
  if (!newest)
    return `No coordinator receipt witnesses this log yet: only the local chain and anchor protect it.${fetchFailures}`;
  const after =
    last > newest.auditSeq
      ? ` Entries ${newest.auditSeq + 1}–${last} are protected only by the local anchor.`
      : ' No entry was written after it.';
  return (
    `Entries 1–${newest.auditSeq} are witnessed by the coordinator's signed receipt of round ${newest.roundId}: ` +
    `their removal or change is detected even without the local anchor.${after}${fetchFailures}`
  );
}

/** Checks the log against every receipt that carries an audit head; `fetched` undefined: none consulted. */
export function witnessByReceipts(
  entries: readonly AuditEntry[],
  fetched: readonly FetchedReceipts[] | undefined,
): ReceiptWitness {
  if (!fetched) {
    const statement = 'Coordinator receipts were not consulted: only the local chain and anchor were checked.';
    return { problems: [], witnessedSeq: null, witnessedRoundId: null, statement };
  }
  if (fetched.length === 0) {
    const statement = 'This site is enrolled in no federation: no coordinator receipt witnesses the log.';
    return { problems: [], witnessedSeq: null, witnessedRoundId: null, statement };
  }
  const failed = fetched.flatMap((f) =>
    'error' in f ? [`The receipts of federation ${f.federationId} could not be fetched: ${f.error}.`] : [],
  );
  const witnessing = fetched
    .flatMap((f) => ('receipts' in f ? f.receipts : []))
    .filter((r): r is WitnessingReceipt => r.auditSeq !== undefined && r.auditHash !== undefined)
    .sort((a, b) => a.auditSeq - b.auditSeq);
  const bySeq = new Map(entries.map((entry) => [entry.seq, entry]));
  const last = entries.at(-1)?.seq ?? 0;
  const problems = witnessing.flatMap((receipt) => receiptProblem(receipt, bySeq, last) ?? []);
  const newest = witnessing.at(-1);
  return {
    problems,
    witnessedSeq: newest?.auditSeq ?? null,
    witnessedRoundId: newest?.roundId ?? null,
    statement: witnessStatement(newest, last, failed),
  };
}
