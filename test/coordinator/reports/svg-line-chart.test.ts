/** The report's hand-written chart: one point per value, placed by round and value, text escaped. */
import { describe, expect, it } from 'vitest';
import { svgLineChart } from '../../../coordinator/reports/svg-line-chart.ts';

const cy = (svg: string) => [...svg.matchAll(/<circle[^>]* cy="([\d.]+)"/g)].map((match) => Number(match[1]));
const cx = (svg: string) => [...svg.matchAll(/<circle[^>]* cx="([\d.]+)"/g)].map((match) => Number(match[1]));

describe('svgLineChart', () => {
  it('draws one point per round, left to right, higher values higher up', () => {
    const svg = svgLineChart(
      'accuracy',
      [
        { round: 1, value: 0.5 },
        { round: 2, value: 0.8 },
        { round: 4, value: 0.6 },
      ],
      (value) => value.toFixed(2),
    );
    expect(cx(svg)).toHaveLength(3);
    const [x1, x2, x4] = cx(svg) as [number, number, number];
    expect(x1 < x2 && x2 < x4).toBe(true);
    // Rounds are spaced by their number: round 4 lies twice as far from round 2 as round 2 from round 1.
    expect(x4 - x2).toBeCloseTo(2 * (x2 - x1), 0);
    const [y1, y2, y4] = cy(svg) as [number, number, number];
    expect(y2 < y4 && y4 < y1).toBe(true); // SVG's y grows downwards
  });

  it('escapes the title and draws an empty chart for no points', () => {
    const svg = svgLineChart('<b>"loss"</b>', [], String);
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&quot;loss&quot;');
    expect(cx(svg)).toEqual([]);
  });
});
