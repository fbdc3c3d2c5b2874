/**
 * A federation's job, the document an ML lead writes: the labels, the model (training settings of the
 * engine's federated classifier, the bag by default), DP, strategy and rounds. `accord coordinator init --job`
 * turns it into the coordinator's configuration — the model's tensor spec derived from the settings, so the
 * two cannot disagree — and round 0's weights, seeded, so participants train the model from the first round.
 * Any other configuration field (listen, dataDir, tls, secureAggregation, compression, evaluation, limits,
 * transport, updateEncoding) passes through as written and is validated with the configuration.
 */
import { z } from 'zod';
import { initializeClassifierParameters } from '../../engine/nn/classifier.ts';
import {
  federatedClassifierConfig,
  federatedClassifierSettings,
  federatedModelSpec,
} from '../../engine/train/federated-classifier.ts';
import { federatedBagDefaults } from '../../engine/train/federated-defaults.ts';
import type { Float32Tensor } from '../../engine/tensor/parameter-set.ts';

const settingValue = z.union([z.number(), z.string(), z.boolean()]);

export const federationJobSchema = z
  .object({
    federation: z.object({ name: z.string().min(1) }).default({ name: 'New federation' }),
    task: z.string().min(1).default('classification'),
    labels: z.array(z.string().min(1)).min(2),
    /** Training settings of the federated classifier; fields left out take federatedBagDefaults' values. */
    model: z.record(z.string(), settingValue).default({}),
    /** Seed of round 0's weights. */
    seed: z.number().int().nonnegative().default(0),
    strategy: z.unknown().default({ name: 'fedavg' }),
    rounds: z.number().int().positive().default(12),
    participantsPerRound: z.unknown().default({ min: 2, max: 20 }),
    roundDeadlineSeconds: z.number().positive().default(3600),
    dp: z.unknown().default({ clipNorm: 0.1, noiseMultiplier: 4, sampleRate: 0.5, localSteps: 10 }),
    listen: z.unknown().default({ host: '0.0.0.0', port: 50051 }),
  })
  .passthrough();

export type FederationJob = z.infer<typeof federationJobSchema>;

export interface PreparedFederation {
  /** The coordinator configuration to write (its `model.initialWeights` names `initialWeightsFile`). */
  readonly config: Record<string, unknown>;
  readonly initialWeights: Map<string, Float32Tensor>;
}

export const initialWeightsFile = 'initial.safetensors';

/** Reads a job (already parsed JSON), naming the first wrong field and the file it came from. */
export function parseFederationJob(raw: unknown, source: string): FederationJob {
  const parsed = federationJobSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join('.') || '(job)'}: ${issue?.message ?? 'invalid job'}`);
  }
  if (new Set(parsed.data.labels).size !== parsed.data.labels.length)
    throw new Error(`${source}: labels: each label must appear once, got ${parsed.data.labels.join(', ')}`);
  if (parsed.data.labels.some((label) => label.includes(',')))
    throw new Error(`${source}: labels: a label cannot hold a comma`);
  return parsed.data;
}

/** The configuration and seeded initial weights for a job; a bad model setting is named with the file. */
export function prepareFederation(job: FederationJob, source: string): PreparedFederation {
  const { labels, model, seed, ...rest } = job;
  const training = { ...federatedBagDefaults, ...model, labels: labels.join(',') };
  let settings;
  try {
    settings = federatedClassifierSettings(training);
  } catch (error) {
    throw new Error(`${source}: model: ${(error as Error).message}`, { cause: error });
  }
  const spec = federatedModelSpec(settings).map(({ name, shape }) => ({ name, shape: [...shape] }));
  return {
    config: { ...rest, model: { spec, initialWeights: initialWeightsFile }, training },
    initialWeights: initializeClassifierParameters(federatedClassifierConfig(settings), seed),
  };
}
