/** Builds an optimizer from a serializable configuration (CLI flags, job specs, checkpoints). */
import { AdaBelief } from './adabelief.ts';
import { AdaGrad } from './adagrad.ts';
import { Adam, AdamW } from './adam.ts';
import type { Optimizer } from './optimizer.ts';
import { RmsProp } from './rmsprop.ts';
import { Sgd } from './sgd.ts';

export const optimizerAlgorithms = [
  'sgd',
  'sgd-momentum',
  'sgd-nesterov',
  'adagrad',
  'rmsprop',
  'adam',
  'adamw',
  'adabelief',
] as const;

export type OptimizerAlgorithm = (typeof optimizerAlgorithms)[number];

export interface OptimizerConfig {
  algorithm: OptimizerAlgorithm;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  decay?: number;
  epsilon?: number;
  weightDecay?: number;
}

export function isOptimizerAlgorithm(name: string): name is OptimizerAlgorithm {
  return (optimizerAlgorithms as readonly string[]).includes(name);
}

export function createOptimizer(config: OptimizerConfig): Optimizer {
  const { algorithm, momentum, beta1, beta2, decay, epsilon, weightDecay } = config;
  switch (algorithm) {
    case 'sgd':
      return new Sgd({ weightDecay });
    case 'sgd-momentum':
      return new Sgd({ momentum: momentum ?? 0.9, weightDecay });
    case 'sgd-nesterov':
      return new Sgd({ momentum: momentum ?? 0.9, nesterov: true, weightDecay });
    case 'adagrad':
      return new AdaGrad({ epsilon });
    case 'rmsprop':
      return new RmsProp({ decay, epsilon });
    case 'adam':
      return new Adam({ beta1, beta2, epsilon, weightDecay });
    case 'adamw':
      return new AdamW({ beta1, beta2, epsilon, weightDecay });
    case 'adabelief':
      return new AdaBelief({ beta1, beta2, epsilon, weightDecay });
    default:
      throw new Error(`unknown optimizer "${String(algorithm)}" (known: ${optimizerAlgorithms.join(', ')})`);
  }
}
