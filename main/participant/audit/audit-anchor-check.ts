/**
 * What the keychain's anchor proves about the log: every entry up to the anchored one is still there and
 * unchanged; entries after it were written after the last anchor moved, and their removal cannot be seen.
 */
import type { AuditHead } from './audit-anchor.ts';
import type { AuditEntry } from './audit-log.ts';
import type { AuditProblem } from './audit-problem.ts';

export function anchorProblems(entries: readonly AuditEntry[], anchor: AuditHead | undefined): AuditProblem[] {
  if (!anchor) return [];
  const last = entries.at(-1)?.seq ?? 0;
  if (last < anchor.seq) {
    return Array.from({ length: anchor.seq - last }, (_, i) => ({
      seq: last + 1 + i,
      problem: 'truncated' as const,
      message: `entry ${last + 1 + i} is missing: the keychain's anchor records the log up to entry ${anchor.seq}`,
    }));
  }
  const anchored = entries.find((entry) => entry.seq === anchor.seq);
  if (!anchored)
    return [{ seq: anchor.seq, problem: 'removed', message: `entry ${anchor.seq}, the anchored one, was removed` }];
  if (anchored.hash === anchor.hash) return [];
  return [
    {
      seq: anchor.seq,
      problem: 'changed',
      message: `entry ${anchor.seq} does not match the keychain's anchor: the log was rewritten up to it`,
    },
  ];
}

export function anchorCoverage(entries: readonly AuditEntry[], anchor: AuditHead | undefined): string {
  if (!anchor)
    return (
      'No anchor in the OS keychain for this data folder: the chain was checked against itself, ' +
      'but the removal of its newest entries cannot be detected.'
    );
  const last = entries.at(-1)?.seq ?? 0;
  if (last <= anchor.seq) return `The OS keychain anchors all ${anchor.seq} entries.`;
  return (
    `The OS keychain anchors entries 1–${anchor.seq}; entries ${anchor.seq + 1}–${last} were written after ` +
    'the anchor last moved (moments before a stop), and their removal could not be detected.'
  );
}
