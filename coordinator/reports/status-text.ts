/** `accord coordinator status` as text: the job, the rounds, and each task's metric curves (mean and per site). */
import type { FederationSummary, JobSummary } from './federation-summary.ts';
import type { MetricCurve } from './metric-curves.ts';

/** A figure as the status and the report print it: counts whole, rates and losses to 4 decimals. */
export function formatFigure(metric: string, value: number): string {
  return metric === 'examples' ? String(Math.round(value)) : value.toFixed(4);
}

/** Left-aligned columns, two spaces apart. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  return [line(header), ...rows.map(line)].map((text) => `  ${text.trimEnd()}`);
}

function jobLines(job: JobSummary): string[] {
  const { dp } = job;
  return [
    `Federation "${job.federation}" (${job.federationId})`,
    'Job',
    ...textTable(
      ['setting', 'value'],
      [
        ['task', job.task],
        ['strategy', job.strategy],
        ['model', `${job.tensors} tensors, ${job.parameters} parameters`],
        [
          'DP',
          `clip norm ${dp.clipNorm}, noise multiplier ${dp.noiseMultiplier}, ` +
            `sample rate ${dp.sampleRate}, ${dp.localSteps} local steps per round`,
        ],
        [
          'rounds',
          `${job.plannedRounds} planned, ${job.participantsPerRound.min}–${job.participantsPerRound.max} ` +
            `participants per round, secure aggregation ${job.secureAggregation ? 'on' : 'off'}`,
        ],
      ],
    ),
  ];
}

function roundsOf(curves: readonly MetricCurve[]): number[] {
  return [...new Set(curves.flatMap((curve) => curve.points.map((point) => point.round)))].sort((a, b) => a - b);
}

const pointAt = (curve: MetricCurve, round: number) => curve.points.find((point) => point.round === round);

/** One row per round: each curve's point (the weighted mean, or the coordinator's own figure). */
function meanTable(curves: readonly MetricCurve[]): string[] {
  const rows = roundsOf(curves).map((round) => [
    String(round),
    ...curves.map((curve) => {
      const point = pointAt(curve, round);
      return point ? formatFigure(curve.metric, point.value) : '—';
    }),
  ]);
  return textTable(['round', ...curves.map((curve) => curve.metric)], rows);
}

/** One row per round and site that reported in it. */
function siteTable(curves: readonly MetricCurve[]): string[] {
  const sites = [...new Set(curves.flatMap((curve) => curve.points.flatMap((p) => p.sites.map((s) => s.siteName))))];
  const rows = roundsOf(curves).flatMap((round) =>
    sites.flatMap((site) => {
      const values = curves.map(
        (curve) => pointAt(curve, round)?.sites.find((entry) => entry.siteName === site)?.value,
      );
      if (values.every((value) => value === undefined)) return [];
      const cells = values.map((value, index) =>
        value === undefined ? '—' : formatFigure(curves[index]?.metric ?? '', value),
      );
      return [[String(round), site, ...cells]];
    }),
  );
  return textTable(['round', 'site', ...curves.map((curve) => curve.metric)], rows);
}

function taskLines(task: string, curves: readonly MetricCurve[]): string[] {
  const participants = curves.filter((curve) => curve.source === 'participants');
  const coordinator = curves.filter((curve) => curve.source === 'coordinator');
  const lines: string[] = [];
  if (participants.length)
    lines.push(
      `Metrics of task "${task}" (example-weighted mean over the participants; examples summed)`,
      ...meanTable(participants),
      `Metrics of task "${task}" per participant`,
      ...siteTable(participants),
    );
  if (coordinator.length)
    lines.push(
      `Metrics of task "${task}" on the coordinator's test set (the model each round produced)`,
      ...meanTable(coordinator),
    );
  return lines;
}

export function statusText(summary: FederationSummary): string {
  const roundRows = summary.rounds.map((round) => [
    String(round.number),
    round.state,
    round.outcome ?? '—',
    String(round.joined),
    String(round.committed),
    String(round.declined),
  ]);
  const tasks = [...new Set(summary.curves.map((curve) => curve.task))];
  const lines = [
    ...jobLines(summary.job),
    'Rounds',
    ...(roundRows.length
      ? textTable(['round', 'state', 'outcome', 'joined', 'committed', 'declined'], roundRows)
      : ['  no round opened yet']),
    ...(tasks.length
      ? tasks.flatMap((task) =>
          taskLines(
            task,
            summary.curves.filter((curve) => curve.task === task),
          ),
        )
      : ['Metrics', '  none reported yet']),
  ];
  return `${lines.join('\n')}\n`;
}
