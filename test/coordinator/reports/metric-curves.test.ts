/** Curves from per-site figures: example-weighted means per round, the example count summed. */
import { describe, expect, it } from 'vitest';
import { metricCurves } from '../../../coordinator/reports/metric-curves.ts';
import type { SiteMetric } from '../../../coordinator/store/evaluation-metrics.ts';

function figure(roundNumber: number, site: string, metric: string, value: number, task = 'sentiment'): SiteMetric {
  return { roundId: `r${roundNumber}`, roundNumber, task, site, siteName: site.toUpperCase(), metric, value };
}

describe('metricCurves', () => {
  it('weights each site by its examples, sums the examples, and orders rounds and metrics', () => {
    const figures = [
      figure(2, 'a', 'accuracy', 0.9),
      figure(1, 'a', 'accuracy', 0.5),
      figure(1, 'a', 'examples', 30),
      figure(1, 'b', 'accuracy', 0.7),
      figure(1, 'b', 'examples', 10),
      figure(1, 'a', 'loss', 0.4),
    ];
    const curves = metricCurves(figures);
    expect(curves.map((curve) => curve.metric)).toEqual(['accuracy', 'loss', 'examples']);
    const accuracy = curves[0]!;
    expect(accuracy.points.map((point) => point.round)).toEqual([1, 2]);
    // Round 1: (30·0.5 + 10·0.7) / 40; round 2: site a alone, which gave no example count (weight 1).
    expect(accuracy.points[0]!.value).toBeCloseTo((30 * 0.5 + 10 * 0.7) / 40, 12);
    expect(accuracy.points[1]!.value).toBe(0.9);
    expect(accuracy.points[0]!.sites).toEqual([
      { site: 'a', siteName: 'A', value: 0.5 },
      { site: 'b', siteName: 'B', value: 0.7 },
    ]);
    expect(curves[2]!.points).toEqual([expect.objectContaining({ round: 1, value: 40 })]);
  });

  it('keeps tasks apart', () => {
    const curves = metricCurves([figure(1, 'a', 'f1', 0.3, 'qa'), figure(1, 'a', 'f1', 0.6, 'sentiment')]);
    expect(curves.map((curve) => [curve.task, curve.points[0]!.value])).toEqual([
      ['qa', 0.3],
      ['sentiment', 0.6],
    ]);
  });

  it("keeps the coordinator's test-set figures out of the participants' mean, in curves of their own", () => {
    const curves = metricCurves([
      figure(1, 'a', 'accuracy', 0.6),
      figure(1, 'coordinator', 'accuracy', 0.9),
      figure(2, 'coordinator', 'accuracy', 0.95),
    ]);
    expect(curves.map((curve) => [curve.source, curve.points.map((point) => [point.round, point.value])])).toEqual([
      ['participants', [[1, 0.6]]],
      [
        'coordinator',
        [
          [1, 0.9],
          [2, 0.95],
        ],
      ],
    ]);
  });
});
