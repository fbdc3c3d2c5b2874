/** The coordinator's evaluation figures: per round, task and site, read back with round numbers and site names. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoordinatorStore } from '../../../coordinator/store/coordinator-store.ts';
import {
  coordinatorSite,
  recordSiteMetrics,
  siteMetrics,
  taskMetricsOf,
} from '../../../coordinator/store/evaluation-metrics.ts';

function storeWithRounds(count: number): CoordinatorStore {
  const store = new CoordinatorStore(join(mkdtempSync(join(tmpdir(), 'accord-metrics-')), 'coordinator.sqlite'));
  for (let number = 1; number <= count; number += 1)
    store.insertRound({
      id: `round-${number}`,
      number,
      state: 'closed',
      openedAt: number,
      deadlineAt: number + 1,
      modelPath: 'm',
      modelSha256: 'ab'.repeat(32),
      modelBytes: 1,
      outcome: 'aggregated',
      closedAt: number + 1,
    });
  store.enrol('token', { id: 'p-1', publicKey: Buffer.from([1]), displayName: 'Clinic', enrolledAt: 'now' });
  return store;
}

describe('taskMetricsOf', () => {
  it("files `<task>/<metric>` under its task and a bare name under the federation's task", () => {
    expect(taskMetricsOf({ 'qa/f1': 0.5, accuracy: 0.75 }, 'sentiment')).toEqual([
      { task: 'qa', metric: 'f1', value: 0.5 },
      { task: 'sentiment', metric: 'accuracy', value: 0.75 },
    ]);
  });

  it('refuses a name with an empty task or metric, naming it', () => {
    expect(() => taskMetricsOf({ '/accuracy': 1 }, 'sentiment')).toThrow('"/accuracy"');
    expect(() => taskMetricsOf({ 'sentiment/': 1 }, 'sentiment')).toThrow('"sentiment/"');
  });
});

describe('recordSiteMetrics and siteMetrics', () => {
  it('reads figures back by round number with the display name of each site, a repeated report replacing', () => {
    const store = storeWithRounds(2);
    recordSiteMetrics(store.db, 'round-2', 'p-1', [{ task: 'sentiment', metric: 'accuracy', value: 0.5 }]);
    recordSiteMetrics(store.db, 'round-1', coordinatorSite, [{ task: 'sentiment', metric: 'accuracy', value: 0.6 }]);
    recordSiteMetrics(store.db, 'round-2', 'p-1', [{ task: 'sentiment', metric: 'accuracy', value: 0.7 }]);
    expect(siteMetrics(store.db)).toEqual([
      {
        roundId: 'round-1',
        roundNumber: 1,
        task: 'sentiment',
        site: 'coordinator',
        siteName: 'coordinator',
        metric: 'accuracy',
        value: 0.6,
      },
      {
        roundId: 'round-2',
        roundNumber: 2,
        task: 'sentiment',
        site: 'p-1',
        siteName: 'Clinic',
        metric: 'accuracy',
        value: 0.7,
      },
    ]);
    store.close();
  });
});
