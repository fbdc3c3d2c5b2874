/**
 * The coordinator's configuration file (JSON), validated with zod. Relative paths are resolved against
 * the directory of the file, so a federation's folder can be moved as a whole.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { updateEncodingNames } from '../../engine/codec/update-codec-registry.ts';
import { transportLimitsSchema } from './transport-limits.ts';
import { strategyConfigSchema } from '../strategies/create-strategy.ts';
import { secureAggregationDefaults, secureAggregationOptionsSchema } from './secure-aggregation-options.ts';
import { checkCompressionFits, updateCompressionSchema } from './update-compression-options.ts';

const tensorSpecSchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
});

export const coordinatorConfigSchema = z
  .object({
    federation: z.object({ name: z.string().min(1) }),
    dataDir: z.string().default('data'),
    listen: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535) }),
    tls: z.object({ mutual: z.boolean().default(false) }).default({ mutual: false }),
    model: z.object({
      spec: z.array(tensorSpecSchema).min(1),
      initialWeights: z.string().min(1),
    }),
    task: z.string().min(1),
    strategy: strategyConfigSchema,
    /** A name from engine/codec's registry: "accord-update-v1" (the codec's format) or "float32-le" (raw, streamed). */
    updateEncoding: z.enum(updateEncodingNames).default('accord-update-v1'),
    /** Lossy compression of every update (int8 or top-k with error feedback); absent: dense. */
    compression: updateCompressionSchema.optional(),
    rounds: z.number().int().positive(),
    participantsPerRound: z.object({ min: z.number().int().positive(), max: z.number().int().positive() }),
    roundDeadlineSeconds: z.number().positive(),
    dp: z.object({
      clipNorm: z.number().positive(),
      noiseMultiplier: z.number().nonnegative(),
      localSteps: z.number().int().positive(),
      sampleRate: z.number().gt(0).max(1),
    }),
    secureAggregation: z.boolean().default(false),
    /** Used when secureAggregation is true; see secureAggregationOptionsSchema. */
    secureAggregationOptions: secureAggregationOptionsSchema.default(secureAggregationDefaults),
    training: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
    /** A labelled test set the coordinator holds: each aggregated model is scored on it (site "coordinator"). */
    evaluation: z
      .object({
        testSet: z
          .object({
            file: z.string().min(1),
            columns: z.object({ text: z.string().min(1), label: z.string().min(1) }),
            format: z.enum(['csv', 'tsv', 'jsonl', 'parquet']).optional(),
          })
          .optional(),
      })
      .optional(),
    /** Bounds on what an unauthenticated client can hold: see transport-limits.ts. */
    transport: transportLimitsSchema,
    limits: z
      .object({
        chunkBytes: z
          .number()
          .int()
          .min(4096)
          .max(4 * 1024 * 1024)
          .default(1024 * 1024),
        maxUpdateBytes: z
          .number()
          .int()
          .positive()
          .default(4 * 1024 * 1024 * 1024),
        maxPollSeconds: z.number().int().positive().max(300).default(30),
      })
      .default({ chunkBytes: 1024 * 1024, maxUpdateBytes: 4 * 1024 * 1024 * 1024, maxPollSeconds: 30 }),
  })
  .refine((config) => config.participantsPerRound.min <= config.participantsPerRound.max, {
    message: 'participantsPerRound.min must not exceed participantsPerRound.max',
    path: ['participantsPerRound'],
  })
  .superRefine(checkCompressionFits);

export type CoordinatorConfig = z.infer<typeof coordinatorConfigSchema>;

/** Parses a config object; paths inside it are resolved against `baseDir`. */
export function parseCoordinatorConfig(value: unknown, baseDir: string, source = 'config'): CoordinatorConfig {
  const parsed = coordinatorConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const config = parsed.data;
  return {
    ...config,
    dataDir: resolve(baseDir, config.dataDir),
    model: { ...config.model, initialWeights: resolve(baseDir, config.model.initialWeights) },
    ...(config.evaluation?.testSet
      ? {
          evaluation: {
            testSet: { ...config.evaluation.testSet, file: resolve(baseDir, config.evaluation.testSet.file) },
          },
        }
      : {}),
  };
}

export function loadCoordinatorConfig(path: string): CoordinatorConfig {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseCoordinatorConfig(value, dirname(resolve(path)), path);
}
