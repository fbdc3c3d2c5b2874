/**
 * A hand-written SVG line chart of one metric over rounds: axes with the first and last round and the value
 * range, a polyline and one circle per round that has a value (carrying the round and the exact value as
 * data attributes). No script, no fonts or styles fetched from anywhere: the page works offline.
 */
import { escapeHtml } from './html-text.ts';

export interface ChartPoint {
  readonly round: number;
  readonly value: number;
}

const width = 480;
const height = 240;
const margin = { left: 64, right: 16, top: 28, bottom: 36 };

function scale(domain: readonly [number, number], range: readonly [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  // A single round or a flat curve still gets a visible line, in the middle of the axis.
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (value) => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);
}

function extent(values: readonly number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

function axes(rounds: [number, number], values: [number, number], format: (value: number) => string): string {
  const bottom = height - margin.bottom;
  const right = width - margin.right;
  return [
    `<line x1="${margin.left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#555"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${bottom}" stroke="#555"/>`,
    `<text x="${margin.left}" y="${bottom + 16}" font-size="11">round ${rounds[0]}</text>`,
    `<text x="${right}" y="${bottom + 16}" font-size="11" text-anchor="end">round ${rounds[1]}</text>`,
    `<text x="${margin.left - 6}" y="${bottom}" font-size="11" text-anchor="end">${format(values[0])}</text>`,
    `<text x="${margin.left - 6}" y="${margin.top + 4}" font-size="11" text-anchor="end">${format(values[1])}</text>`,
  ].join('');
}

/** The chart of `points` (sorted by round); `format` writes the axis labels. */
export function svgLineChart(title: string, points: readonly ChartPoint[], format: (value: number) => string): string {
  const label = escapeHtml(title);
  if (points.length === 0)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${label}"></svg>`;
  const rounds = extent(points.map((point) => point.round));
  const values = extent(points.map((point) => point.value));
  const x = scale(rounds, [margin.left + 8, width - margin.right - 8]);
  const y = scale(values, [height - margin.bottom - 8, margin.top + 8]);
  const positions = points.map((point) => [x(point.round).toFixed(1), y(point.value).toFixed(1)] as const);
  const circles = points.map(
    (point, index) =>
      `<circle class="point" cx="${positions[index]?.[0]}" cy="${positions[index]?.[1]}" r="3.5" fill="#1f5fa8" ` +
      `data-round="${point.round}" data-value="${point.value}"><title>round ${point.round}: ` +
      `${escapeHtml(format(point.value))}</title></circle>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" `,
    `role="img" aria-label="${label}">`,
    `<text x="${margin.left}" y="16" font-size="13" font-weight="bold">${label}</text>`,
    axes(rounds, values, format),
    `<polyline fill="none" stroke="#1f5fa8" stroke-width="2" points="${positions.map((position) => position.join(',')).join(' ')}"/>`,
    ...circles,
    '</svg>',
  ].join('');
}
