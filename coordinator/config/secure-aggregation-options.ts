/**
 * The federation's secure-aggregation settings (used when `secureAggregation` is true): the neighbour
 * graph (SecAgg+'s k-regular graph or classic SecAgg's complete graph), the threshold t, the clipping
 * range R of each submitted coordinate, and the stage deadlines.
 */
import { z } from 'zod';

export const secureAggregationOptionsSchema = z.strictObject({
  /** "complete" (classic SecAgg, k = n − 1) or the degree k of SecAgg+'s k-regular graph. */
  graph: z.union([z.literal('complete'), z.strictObject({ degree: z.number().int().positive() })]).default('complete'),
  /** t: shares needed to rebuild a secret; the round aborts when fewer survive. Default: the minimum safe t. */
  threshold: z.number().int().positive().optional(),
  /**
   * R: every submitted coordinate (update × example count, and the count itself) must lie in [−R, R].
   * The quantization then uses the most bits that cannot overflow for participantsPerRound.max.
   */
  clipRange: z.number().positive().default(65536),
  /** Answer window of the advertise-keys, share-keys and unmask stages. */
  stageSeconds: z.number().positive().default(30),
  /** With fewer than participantsPerRound.max joined, the stages start this long after the round opens. */
  joinSeconds: z.number().positive().default(30),
});

export type SecureAggregationOptions = z.infer<typeof secureAggregationOptionsSchema>;

export const secureAggregationDefaults = {
  graph: 'complete' as const,
  clipRange: 65536,
  stageSeconds: 30,
  joinSeconds: 30,
};
