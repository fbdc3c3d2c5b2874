/**
 * Text classification: one text or a pair of texts, and a label. GLUE's files name their columns differently per
 * task (sentence; sentence1/sentence2; question/sentence; …): `glueColumnMappings` maps each onto these fields.
 */
import { z } from 'zod';
import type { ColumnMapping } from './column-mapping.ts';
import { labelField, type TaskSchema, textField } from './task-schema.ts';

export interface ClassificationExample {
  text: string;
  textPair?: string | undefined;
  label: string;
}

export const classificationTask: TaskSchema<ClassificationExample> = {
  name: 'classification',
  fields: ['text', 'textPair', 'label'],
  schema: z.object({ text: textField(), textPair: textField().optional(), label: labelField() }),
};

/** Column mappings for the GLUE tasks as the Hugging Face `glue` dataset lays them out. */
export const glueColumnMappings: Readonly<Record<string, ColumnMapping>> = {
  cola: { text: 'sentence' },
  sst2: { text: 'sentence' },
  mrpc: { text: 'sentence1', textPair: 'sentence2' },
  stsb: { text: 'sentence1', textPair: 'sentence2' },
  qqp: { text: 'question1', textPair: 'question2' },
  mnli: { text: 'premise', textPair: 'hypothesis' },
  qnli: { text: 'question', textPair: 'sentence' },
  rte: { text: 'sentence1', textPair: 'sentence2' },
  wnli: { text: 'sentence1', textPair: 'sentence2' },
};

/** The distinct labels in a stable order (numeric labels by value, others alphabetically), for label ids. */
export function labelSet(examples: Iterable<{ label: string }>): string[] {
  const labels = new Set<string>();
  for (const example of examples) labels.add(example.label);
  const numeric = [...labels].every((label) => /^-?\d+$/.test(label));
  return [...labels].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
}
