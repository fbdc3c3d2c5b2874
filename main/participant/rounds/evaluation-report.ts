/**
 * After a round's update was committed (receipted), its held-out evaluation goes to the coordinator with
 * ReportMetrics — or stays here when the approved contribution says the site withholds it. Either way the
 * audit log says what happened. The figures are computed without noise, outside the DP guarantee, which is
 * why the person approved them with the update. A report that cannot be delivered is audited and logged;
 * the round stays receipted (its update counts either way).
 */
import type { HeldOutEvaluation } from '../../../engine/train/held-out-evaluation-job.ts';
import type { RoundContext } from './round-context.ts';
import { closeReceipted } from './round-delivery.ts';
import type { RoundRecord } from './round-store.ts';

/** The wire names: `<task>/<metric>`, so the coordinator files each figure under its task. */
export function evaluationMetrics(taskName: string, evaluation: HeldOutEvaluation): Record<string, number> {
  const { accuracy, macroF1, loss, examples } = evaluation;
  const named = { accuracy, macroF1, loss, examples };
  return Object.fromEntries(Object.entries(named).map(([name, value]) => [`${taskName}/${name}`, value]));
}

function approvedSharing(context: RoundContext, round: RoundRecord): boolean {
  const contribution = round.contributionId ? context.consent.get(round.contributionId) : undefined;
  return contribution?.summary.metricsShared === true;
}

/** Sends (or withholds) the receipted round's evaluation and audits which; never throws. */
export async function reportEvaluation(context: RoundContext, round: RoundRecord): Promise<void> {
  const evaluation = round.outcome?.evaluation;
  if (!evaluation) return;
  const { roundKey, task } = round;
  if (!approvedSharing(context, round)) {
    context.audit.append('metrics', { roundKey, sent: false, withheld: 'by the consent policy', evaluation });
    return;
  }
  const metrics = evaluationMetrics(task.taskName, evaluation);
  try {
    await context.link.reportMetrics(task, metrics);
    context.audit.append('metrics', { roundKey, sent: true, coordinator: task.coordinator, metrics });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.audit.append('metrics', { roundKey, sent: false, failed: message, metrics });
    context.log.warn('could not send the round evaluation', {
      federationId: task.federationId,
      roundKey,
      error: message,
    });
  }
}

/**
 * uploaded → receipted, the evaluation report in between: it follows the committed update (the receipt is
 * stored), and a crash before `receipted` sends it again on resume (the coordinator keeps one value per
 * round, task, site and metric), so it is sent at least once.
 */
export async function closeReceiptedAndReport(context: RoundContext, round: RoundRecord): Promise<true> {
  await reportEvaluation(context, round);
  closeReceipted(context, context.store.require(round.roundKey));
  return true;
}
