/**
 * `accord coordinator report`: one self-contained HTML page (inline CSS and SVG, nothing fetched) with the
 * job, a line chart per task and metric over rounds (the example-weighted mean over sites), the rounds, and
 * tables of the mean and of each site's figures. Every figure cell carries its exact value in data-value.
 */
import type { FederationSummary, JobSummary } from './federation-summary.ts';
import { escapeHtml } from './html-text.ts';
import type { MetricCurve } from './metric-curves.ts';
import { formatFigure } from './status-text.ts';
import { svgLineChart } from './svg-line-chart.ts';

const style = `body{font-family:system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 20px}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f2f2f2}.charts{display:flex;flex-wrap:wrap;gap:16px}`;

function table(id: string, header: readonly string[], rows: readonly string[][]): string {
  const head = header.map((title) => `<th>${escapeHtml(title)}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.join('')}</tr>`).join('');
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

const cell = (text: string | number) => `<td>${escapeHtml(String(text))}</td>`;

function figureCell(metric: string, value: number, site?: string): string {
  const siteAttribute = site === undefined ? '' : ` data-site="${escapeHtml(site)}"`;
  return `<td data-metric="${escapeHtml(metric)}"${siteAttribute} data-value="${value}">${formatFigure(metric, value)}</td>`;
}

function jobSection(job: JobSummary): string {
  const { dp } = job;
  const rows = [
    ['Task', job.task],
    ['Strategy', job.strategy],
    ['Model', `${job.tensors} tensors, ${job.parameters} parameters`],
    ['DP', `clip norm ${dp.clipNorm}, noise multiplier ${dp.noiseMultiplier}, sample rate ${dp.sampleRate}`],
    ['Local steps per round', String(dp.localSteps)],
    ['Rounds planned', String(job.plannedRounds)],
    ['Secure aggregation', job.secureAggregation ? 'on' : 'off'],
  ];
  return `<h2>Job</h2>${table(
    'job',
    ['Setting', 'Value'],
    rows.map(([name, value]) => [cell(name ?? ''), cell(value ?? '')]),
  )}`;
}

const sourceTitles = {
  participants: 'Mean over the participants, weighted by their held-out examples',
  coordinator: "On the coordinator's test set (the model each round produced)",
} as const;

function chartsOf(task: string, curves: readonly MetricCurve[]): string {
  return curves
    .map(
      (curve) =>
        `<figure data-task="${escapeHtml(task)}" data-source="${curve.source}" data-metric="${escapeHtml(curve.metric)}">` +
        svgLineChart(
          `${task}: ${curve.metric}${curve.source === 'coordinator' ? " (coordinator's test set)" : ''}`,
          curve.points,
          (value) => formatFigure(curve.metric, value),
        ) +
        '</figure>',
    )
    .join('');
}

function roundsOf(curves: readonly MetricCurve[]): number[] {
  return [...new Set(curves.flatMap((curve) => curve.points.map((point) => point.round)))].sort((a, b) => a - b);
}

const pointAt = (curve: MetricCurve, round: number) => curve.points.find((point) => point.round === round);

function meanRows(curves: readonly MetricCurve[]): string[][] {
  return roundsOf(curves).map((round) => [
    cell(round),
    ...curves.map((curve) => {
      const point = pointAt(curve, round);
      return point ? figureCell(curve.metric, point.value) : cell('—');
    }),
  ]);
}

function siteRows(curves: readonly MetricCurve[]): string[][] {
  const sites = [...new Set(curves.flatMap((curve) => curve.points.flatMap((p) => p.sites.map((s) => s.site))))];
  return roundsOf(curves).flatMap((round) =>
    sites.flatMap((site) => {
      const entries = curves.map((curve) => pointAt(curve, round)?.sites.find((entry) => entry.site === site));
      const named = entries.find((entry) => entry !== undefined);
      if (!named) return [];
      const cells = entries.map((entry, index) =>
        entry ? figureCell(curves[index]?.metric ?? '', entry.value, site) : cell('—'),
      );
      return [[cell(round), cell(named.siteName), ...cells]];
    }),
  );
}

function taskSection(task: string, curves: readonly MetricCurve[]): string {
  const id = (kind: string) => escapeHtml(`${kind}-${task}`);
  const parts = [`<h2>Task “${escapeHtml(task)}”</h2><div class="charts">${chartsOf(task, curves)}</div>`];
  for (const source of ['participants', 'coordinator'] as const) {
    const own = curves.filter((curve) => curve.source === source);
    if (own.length === 0) continue;
    const metrics = own.map((curve) => curve.metric);
    parts.push(
      `<h3>${escapeHtml(sourceTitles[source])}</h3>${table(id(`${source}-mean`), ['Round', ...metrics], meanRows(own))}`,
    );
    if (source === 'participants')
      parts.push(`<h3>Per participant</h3>${table(id('sites'), ['Round', 'Site', ...metrics], siteRows(own))}`);
  }
  return parts.join('');
}

export function reportHtml(summary: FederationSummary): string {
  const roundRows = summary.rounds.map((round) =>
    [round.number, round.state, round.outcome ?? '—', round.joined, round.committed, round.declined].map(cell),
  );
  const tasks = [...new Set(summary.curves.map((curve) => curve.task))];
  const title = `Federation “${summary.job.federation}”`;
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title><style>${style}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1><p>Federation id ${escapeHtml(summary.job.federationId)}</p>`,
    jobSection(summary.job),
    `<h2>Rounds</h2>${table('rounds', ['Round', 'State', 'Outcome', 'Joined', 'Committed', 'Declined'], roundRows)}`,
    tasks.length
      ? tasks
          .map((task) =>
            taskSection(
              task,
              summary.curves.filter((curve) => curve.task === task),
            ),
          )
          .join('')
      : '<h2>Metrics</h2><p>No evaluation metrics were reported yet.</p>',
    '</body></html>\n',
  ].join('');
}
