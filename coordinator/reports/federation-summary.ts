/**
 * What `accord coordinator status` and `report` show, read from the configuration and the coordinator's
 * store only: the job, each round with who took part, and the evaluation curves. It opens the store beside a
 * running coordinator (SQLite WAL) or a stopped one, and never creates one: a folder not initialised is an error.
 */
import { existsSync } from 'node:fs';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import { federationPaths } from '../setup/federation-files.ts';
import { CoordinatorStore } from '../store/coordinator-store.ts';
import { siteMetrics } from '../store/evaluation-metrics.ts';
import type { SiteMetric } from '../store/evaluation-metrics.ts';
import { metricCurves } from './metric-curves.ts';
import type { MetricCurve } from './metric-curves.ts';

export interface JobSummary {
  readonly federation: string;
  readonly federationId: string;
  readonly task: string;
  /** The strategy's name and its options, as configured. */
  readonly strategy: string;
  readonly tensors: number;
  readonly parameters: number;
  readonly dp: CoordinatorConfig['dp'];
  readonly plannedRounds: number;
  readonly participantsPerRound: CoordinatorConfig['participantsPerRound'];
  readonly secureAggregation: boolean;
}

export interface RoundSummary {
  readonly number: number;
  readonly id: string;
  readonly state: string;
  readonly outcome: string | null;
  /** Participants given the round, whatever they did with it. */
  readonly joined: number;
  readonly committed: number;
  readonly declined: number;
}

export interface FederationSummary {
  readonly job: JobSummary;
  readonly rounds: readonly RoundSummary[];
  readonly figures: readonly SiteMetric[];
  readonly curves: readonly MetricCurve[];
}

function jobOf(config: CoordinatorConfig, federationId: string): JobSummary {
  const { name, ...options } = config.strategy as { name: string } & Record<string, unknown>;
  const shown = Object.keys(options).length ? `${name} ${JSON.stringify(options)}` : name;
  const sizes = config.model.spec.map((tensor) => tensor.shape.reduce((product, size) => product * size, 1));
  return {
    federation: config.federation.name,
    federationId,
    task: config.task,
    strategy: shown,
    tensors: config.model.spec.length,
    parameters: sizes.reduce((sum, size) => sum + size, 0),
    dp: config.dp,
    plannedRounds: config.rounds,
    participantsPerRound: config.participantsPerRound,
    secureAggregation: config.secureAggregation,
  };
}

function roundsOf(store: CoordinatorStore): RoundSummary[] {
  return store
    .rounds()
    .sort((a, b) => a.number - b.number)
    .map((round) => {
      const assignments = store.assignments(round.id);
      const count = (status: string) => assignments.filter((assignment) => assignment.status === status).length;
      return {
        number: round.number,
        id: round.id,
        state: round.state,
        outcome: round.outcome,
        joined: assignments.length,
        committed: count('committed'),
        declined: count('declined'),
      };
    });
}

export function readFederationSummary(config: CoordinatorConfig): FederationSummary {
  const database = federationPaths(config.dataDir).database;
  if (!existsSync(database))
    throw new Error(`no coordinator store at ${database}: run "accord coordinator init" with this configuration first`);
  const store = new CoordinatorStore(database);
  try {
    const figures = siteMetrics(store.db);
    return {
      job: jobOf(config, store.setting('federation_id') ?? '(not initialised)'),
      rounds: roundsOf(store),
      figures,
      curves: metricCurves(figures),
    };
  } finally {
    store.close();
  }
}
