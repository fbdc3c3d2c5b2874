/**
 * Metric curves from the per-site figures: for each task and metric, one point per round that has figures,
 * holding the example-weighted mean over the sites that reported (each site weighs its `examples`, so a
 * site with ten times the held-out rows counts ten times) and each site's own value. `examples` itself is
 * summed, not averaged. The coordinator's own test set gets curves of its own: its round N figures are those
 * of the model round N produced, the participants' those of the model round N started from, so the two are
 * never averaged together.
 */
import { coordinatorSite } from '../store/evaluation-metrics.ts';
import type { SiteMetric } from '../store/evaluation-metrics.ts';

export interface SiteValue {
  readonly site: string;
  readonly siteName: string;
  readonly value: number;
}

export interface CurvePoint {
  readonly round: number;
  /** Example-weighted mean over the sites (for `examples`: their sum). */
  readonly value: number;
  readonly sites: readonly SiteValue[];
}

/** Whose figures a curve holds: the participants' held-out parts, or the coordinator's test set. */
export type CurveSource = 'participants' | 'coordinator';

export interface MetricCurve {
  readonly task: string;
  readonly metric: string;
  readonly source: CurveSource;
  readonly points: readonly CurvePoint[];
}

const examplesMetric = 'examples';

function weightOf(figures: readonly SiteMetric[], round: number, task: string, site: string): number {
  const examples = figures.find(
    (figure) =>
      figure.roundNumber === round && figure.task === task && figure.site === site && figure.metric === examplesMetric,
  );
  // A site that did not say on how many examples it measured counts as one example.
  return examples && examples.value > 0 ? examples.value : 1;
}

function pointOf(figures: readonly SiteMetric[], group: readonly SiteMetric[]): CurvePoint {
  const first = group[0] as SiteMetric;
  const sites = group.map(({ site, siteName, value }) => ({ site, siteName, value }));
  // One site's figure is its own mean, exactly (w·v / w need not give v back in floating point).
  if (group.length === 1) return { round: first.roundNumber, value: first.value, sites };
  if (first.metric === examplesMetric)
    return { round: first.roundNumber, value: group.reduce((sum, figure) => sum + figure.value, 0), sites };
  let weighted = 0;
  let weights = 0;
  for (const figure of group) {
    const weight = weightOf(figures, figure.roundNumber, figure.task, figure.site);
    weighted += weight * figure.value;
    weights += weight;
  }
  return { round: first.roundNumber, value: weighted / weights, sites };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    groups.set(name, [...(groups.get(name) ?? []), item]);
  }
  return groups;
}

/** Metrics in name order, the example count last (it says how much the others rest on). */
function metricOrder(a: string, b: string): number {
  return Number(a === examplesMetric) - Number(b === examplesMetric) || a.localeCompare(b);
}

const sourceOf = (figure: SiteMetric): CurveSource =>
  figure.site === coordinatorSite ? 'coordinator' : 'participants';

/** One curve per task, source and metric: tasks in name order, the participants first, points by round. */
export function metricCurves(figures: readonly SiteMetric[]): MetricCurve[] {
  const byCurve = groupBy(figures, (figure) => JSON.stringify([figure.task, sourceOf(figure), figure.metric]));
  const curves = [...byCurve.values()].map((group) => {
    const first = group[0] as SiteMetric;
    const byRound = [...groupBy(group, (figure) => String(figure.roundNumber)).values()];
    const points = byRound.map((roundGroup) => pointOf(figures, roundGroup)).sort((a, b) => a.round - b.round);
    return { task: first.task, metric: first.metric, source: sourceOf(first), points };
  });
  return curves.sort(
    (a, b) =>
      a.task.localeCompare(b.task) ||
      Number(a.source === 'coordinator') - Number(b.source === 'coordinator') ||
      metricOrder(a.metric, b.metric),
  );
}
