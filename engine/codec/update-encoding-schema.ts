/** The UpdateEncoding a federation asks for, validated where it enters (coordinator config, round task). */
import { z } from 'zod';
import type { UpdateEncoding } from './update-codec.ts';

export const updateEncodingSchema = z.strictObject({
  quantization: z.enum(['none', 'int8']).default('none'),
  topKFraction: z.number().gt(0).max(1).default(1),
});

export function parseUpdateEncoding(input: unknown): UpdateEncoding {
  const parsed = updateEncodingSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid update encoding: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
