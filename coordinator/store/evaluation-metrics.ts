/**
 * The coordinator's record of federated evaluation: per round, per task, per site. A report names each
 * figure `<task>/<metric>`; a bare `<metric>` belongs to the federation's task. Reads join the round's number
 * and the site's display name, so the status and the report need nothing else.
 */
import type { Database } from 'better-sqlite3';

/** The site name under which the coordinator files the evaluation on its own test set. */
export const coordinatorSite = 'coordinator';

export interface SiteMetric {
  readonly roundId: string;
  readonly roundNumber: number;
  readonly task: string;
  /** A participant's id, or "coordinator". */
  readonly site: string;
  /** The participant's display name, or the site itself. */
  readonly siteName: string;
  readonly metric: string;
  readonly value: number;
}

interface NamedValue {
  readonly task: string;
  readonly metric: string;
  readonly value: number;
}

/** Splits `<task>/<metric>` names; a name that is empty on either side is refused, naming it. */
export function taskMetricsOf(metrics: Record<string, number>, defaultTask: string): NamedValue[] {
  return Object.entries(metrics).map(([name, value]) => {
    const slash = name.lastIndexOf('/');
    const task = slash < 0 ? defaultTask : name.slice(0, slash);
    const metric = name.slice(slash + 1);
    if (task === '' || metric === '') throw new Error(`metric name "${name}" needs a task and a metric name`);
    return { task, metric, value };
  });
}

/** Records a site's figures for a round (a repeated report replaces the earlier values). */
export function recordSiteMetrics(
  db: Database,
  roundId: string,
  site: string,
  values: readonly NamedValue[],
  now = Date.now(),
): void {
  const insert = db.prepare(
    `INSERT OR REPLACE INTO evaluation_metrics (round_id, task, site, metric, value, reported_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const { task, metric, value } of values) insert.run(roundId, task, site, metric, value, now);
  })();
}

/** Every recorded figure, by round number, task, site and metric. */
export function siteMetrics(db: Database): SiteMetric[] {
  return db
    .prepare(
      `SELECT m.round_id AS roundId, r.number AS roundNumber, m.task, m.site,
         COALESCE(p.display_name, m.site) AS siteName, m.metric, m.value
       FROM evaluation_metrics m JOIN rounds r ON r.id = m.round_id
       LEFT JOIN participants p ON p.id = m.site
       ORDER BY r.number, m.task, m.site, m.metric`,
    )
    .all() as SiteMetric[];
}
