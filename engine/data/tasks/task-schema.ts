/** A task schema: the fields a task reads from each record, and the zod schema a mapped record must satisfy. */
import { z } from 'zod';

export interface TaskSchema<T> {
  name: string;
  fields: readonly string[];
  schema: z.ZodType<T>;
}

function describeWrongType(input: unknown, wanted: string): string {
  if (input === undefined) return 'is missing';
  if (input === null) return 'is null';
  return `must be ${wanted}, not ${Array.isArray(input) ? 'a list' : typeof input}`;
}

/** A non-empty text field, with messages that say what is wrong in a person's words. */
export function textField() {
  return z
    .string({ error: (issue) => describeWrongType(issue.input, 'text') })
    .refine((value) => value.trim().length > 0, { message: 'is empty' });
}

/** A label: text or an integer (GLUE's label ids), kept as text so that "1" and 1 are the same class. */
export function labelField() {
  return z
    .union([z.string(), z.number()], {
      error: (issue) => (issue.input === undefined ? 'is missing' : 'must be text or an integer'),
    })
    .refine((value) => (typeof value === 'number' ? Number.isInteger(value) : value.trim().length > 0), {
      message: 'must be a non-empty text or an integer',
    })
    .transform((value) => String(value).trim());
}
