/** One thing wrong with the audit log, at the entry where it shows. */
export interface AuditProblem {
  readonly seq: number;
  readonly problem: 'changed' | 'removed' | 'reordered' | 'truncated';
  readonly message: string;
}
