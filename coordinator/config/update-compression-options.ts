/**
 * The federation's `compression` setting: `{ "method": "int8" }` or `{ "method": "topk", "fraction": f }`
 * with 0 < f < 1 (engine/codec/update-compression.ts). It is refused with secure aggregation — masking
 * needs the dense vector, so a compressed update would be expanded again before it leaves and save
 * nothing — and with the "float32-le" encoding, which carries raw float32 only.
 */
import { z } from 'zod';

export const updateCompressionSchema = z.discriminatedUnion(
  'method',
  [
    z.strictObject({ method: z.literal('int8') }),
    z.strictObject({
      method: z.literal('topk'),
      /** The fraction of each tensor's entries sent; the rest waits in the participant's residual. */
      fraction: z.number().gt(0, 'must be above 0').lt(1, 'must be below 1 (1 would be dense: leave compression out)'),
    }),
  ],
  { error: () => 'method must be "int8" or "topk"' },
);

interface CompressionFields {
  readonly compression?: unknown;
  readonly secureAggregation: boolean;
  readonly updateEncoding: string;
}

/** The cross-field rules, as zod issues on `compression`. */
export function checkCompressionFits(config: CompressionFields, context: z.RefinementCtx): void {
  if (!config.compression) return;
  if (config.secureAggregation) {
    context.addIssue({
      code: 'custom',
      path: ['compression'],
      message:
        'cannot be used with secureAggregation: masking needs the dense update, so compression would save nothing (remove one of them)',
    });
  }
  if (config.updateEncoding !== 'accord-update-v1') {
    context.addIssue({
      code: 'custom',
      path: ['compression'],
      message: `needs updateEncoding "accord-update-v1"; "${config.updateEncoding}" carries raw float32 only`,
    });
  }
}
