/**
 * Verifies the audit chain and names every entry that was changed, removed or moved: an edited entry no
 * longer matches its hash; a removed one leaves a gap in the sequence and a broken link; a moved one
 * links to an entry that is not its predecessor; a cut tail no longer reaches the recorded head.
 */
import type { AuditHead } from './audit-anchor.ts';
import { anchorCoverage, anchorProblems } from './audit-anchor-check.ts';
import { entryHash, genesisHash, type AuditEntry } from './audit-log.ts';
import type { AuditProblem } from './audit-problem.ts';
import { witnessByReceipts, type FetchedReceipts } from './receipt-witness.ts';

export interface AuditVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly problems: AuditProblem[];
  /** The last entry the OS keychain anchors, or null without an anchor. */
  readonly anchoredSeq: number | null;
  /** In words: what the anchor proves and what it cannot. */
  readonly coverage: string;
  /** The newest entry a coordinator's signed receipt witnesses, and that receipt's round; null when none does. */
  readonly witnessedSeq: number | null;
  readonly witnessedRoundId: string | null;
  /** In words: what the coordinator's receipts prove, what they cannot, and any that could not be fetched. */
  readonly witness: string;
}

function linkProblem(
  entry: AuditEntry,
  expectedPrev: string,
  bySeqHash: Map<string, number>,
): AuditProblem | undefined {
  if (entry.prevHash === expectedPrev) return undefined;
  const actualPredecessor = entry.prevHash === genesisHash ? 0 : bySeqHash.get(entry.prevHash);
  if (actualPredecessor !== undefined) {
    return {
      seq: entry.seq,
      problem: 'reordered',
      message: `entry ${entry.seq} (${entry.kind}) is out of order: it was written after the entry now at ${actualPredecessor === 0 ? 'the start' : `#${actualPredecessor}`}`,
    };
  }
  return {
    seq: entry.seq,
    problem: 'removed',
    message: `entry ${entry.seq} (${entry.kind}) does not follow the entry before it: an entry before it was removed or replaced`,
  };
}

function checkEntry(
  entry: AuditEntry,
  expectedSeq: number,
  expectedPrev: string,
  hashes: Map<string, number>,
): AuditProblem[] {
  const problems: AuditProblem[] = [];
  for (let missing = expectedSeq; missing < entry.seq; missing++) {
    problems.push({ seq: missing, problem: 'removed', message: `entry ${missing} is missing: it was removed` });
  }
  const link = linkProblem(entry, expectedPrev, hashes);
  if (link && link.problem === 'reordered') problems.push(link);
  else if (link && entry.seq === expectedSeq) problems.push(link);
  if (entryHash(entry.prevHash, entry) !== entry.hash && link?.problem !== 'reordered') {
    problems.push({
      seq: entry.seq,
      problem: 'changed',
      message: `entry ${entry.seq} (${entry.kind}) was changed: its content no longer matches its hash`,
    });
  }
  return problems;
}

/**
 * The chain checked against itself, its recorded head, the keychain's anchor when there is one, and the
 * coordinator's receipts when they were fetched (undefined: not consulted).
 */
export function verifyAuditEntries(
  entries: readonly AuditEntry[],
  head?: AuditHead,
  anchor?: AuditHead,
  receipts?: readonly FetchedReceipts[],
): AuditVerification {
  const problems = chainProblems(entries, head);
  const witness = witnessByReceipts(entries, receipts);
  for (const found of [anchorProblems(entries, anchor), witness.problems]) {
    const seen = new Set(problems.map((p) => `${p.seq}:${p.problem}`));
    problems.push(...found.filter((p) => !seen.has(`${p.seq}:${p.problem}`)));
  }
  return {
    ok: problems.length === 0,
    entries: entries.length,
    problems,
    anchoredSeq: anchor?.seq ?? null,
    coverage: anchorCoverage(entries, anchor),
    witnessedSeq: witness.witnessedSeq,
    witnessedRoundId: witness.witnessedRoundId,
    witness: witness.statement,
  };
}

function chainProblems(entries: readonly AuditEntry[], head?: AuditHead): AuditProblem[] {
  const hashes = new Map(entries.map((entry) => [entry.hash, entry.seq]));
  const problems: AuditProblem[] = [];
  let expectedSeq = 1;
  let expectedPrev = genesisHash;
  for (const entry of entries) {
    problems.push(...checkEntry(entry, expectedSeq, expectedPrev, hashes));
    expectedSeq = entry.seq + 1;
    expectedPrev = entry.hash;
  }
  const last = entries.at(-1);
  if (head && (!last || last.seq < head.seq)) {
    for (let missing = expectedSeq; missing <= head.seq; missing++) {
      problems.push({
        seq: missing,
        problem: 'truncated',
        message: `entry ${missing} is missing: the end of the log was removed`,
      });
    }
  } else if (head && last && (last.seq !== head.seq || last.hash !== head.hash)) {
    problems.push({
      seq: last.seq,
      problem: 'changed',
      message: `entry ${last.seq} does not match the recorded head of the log`,
    });
  }
  return problems;
}
