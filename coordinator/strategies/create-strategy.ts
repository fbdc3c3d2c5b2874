/**
 * The strategy named in a federation's config, with each paper's default hyperparameters. The schema
 * is exported so the coordinator's config file can embed it.
 */
import { z } from 'zod';
import { CoordinateWiseMedian, TrimmedMean } from './coordinate-wise.ts';
import { FedAvgM } from './fed-avg-m.ts';
import { FedAvg } from './fed-avg.ts';
import { FedOpt } from './fed-opt.ts';
import { FedProx } from './fed-prox.ts';
import { MultiTask } from './multi-task.ts';
import type { Strategy } from './strategy.ts';

const positive = z.number().positive();
const unitInterval = z.number().min(0).lt(1);

/** Reddi et al. 2021 use β1 = 0.9, β2 = 0.99, τ = 1e-3; η as in Flower's implementations of the paper. */
function fedOptSchema<Name extends string>(name: Name, eta: number, beta1: number) {
  return z.strictObject({
    name: z.literal(name),
    eta: positive.default(eta),
    beta1: unitInterval.default(beta1),
    beta2: unitInterval.default(0.99),
    tau: positive.default(1e-3),
  });
}

export const strategyConfigSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('fedavg') }),
  // Li et al. 2020 tune μ ∈ {0.001, 0.01, 0.1, 1}; 0.01 is a common middle choice.
  z.strictObject({ name: z.literal('fedprox'), proximalMu: z.number().nonnegative().default(0.01) }),
  // Hsu et al. 2019 report β = 0.9 among their best; η = 1 keeps FedAvg's step size at β = 0.
  z.strictObject({
    name: z.literal('fedavgm'),
    serverLearningRate: positive.default(1),
    serverMomentum: unitInterval.default(0.9),
  }),
  fedOptSchema('fedadagrad', 0.1, 0),
  fedOptSchema('fedadam', 0.1, 0.9),
  fedOptSchema('fedyogi', 0.01, 0.9),
  // Yin et al. 2018: β must be below 1/2; 0.1 tolerates up to 10% bad participants per side.
  z.strictObject({ name: z.literal('trimmed-mean'), beta: z.number().min(0).lt(0.5).default(0.1) }),
  z.strictObject({ name: z.literal('median') }),
  z.strictObject({ name: z.literal('multitask') }),
]);

export type StrategyConfig = z.input<typeof strategyConfigSchema>;
export type ParsedStrategyConfig = z.output<typeof strategyConfigSchema>;

/** Validates the config (a clear error naming the field) and builds the strategy. */
export function createStrategy(config: unknown): Strategy {
  const parsed = strategyConfigSchema.safeParse(config);
  if (!parsed.success) throw new Error(`invalid strategy config: ${z.prettifyError(parsed.error)}`);
  const c = parsed.data;
  switch (c.name) {
    case 'fedavg':
      return new FedAvg();
    case 'fedprox':
      return new FedProx({ proximalMu: c.proximalMu });
    case 'fedavgm':
      return new FedAvgM({ serverLearningRate: c.serverLearningRate, serverMomentum: c.serverMomentum });
    case 'fedadagrad':
    case 'fedadam':
    case 'fedyogi':
      return new FedOpt(c.name, { eta: c.eta, beta1: c.beta1, beta2: c.beta2, tau: c.tau });
    case 'trimmed-mean':
      return new TrimmedMean({ beta: c.beta });
    case 'median':
      return new CoordinateWiseMedian();
    case 'multitask':
      return new MultiTask();
  }
}

/** Robust strategies need each update, which secure aggregation hides: refuse the pair up front. */
export function assertUsableWithSecureAggregation(strategy: Strategy, secureAggregation: boolean): void {
  if (secureAggregation && strategy.needsIndividualUpdates) {
    throw new Error(
      `strategy "${strategy.name}" needs each participant's update and cannot run with secure aggregation; choose another strategy or turn secure aggregation off`,
    );
  }
}
