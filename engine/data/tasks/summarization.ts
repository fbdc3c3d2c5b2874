/** Summarization: a document and its reference summary. */
import { z } from 'zod';
import type { ColumnMapping } from './column-mapping.ts';
import { type TaskSchema, textField } from './task-schema.ts';

export interface SummarizationExample {
  document: string;
  summary: string;
}

export const summarizationTask: TaskSchema<SummarizationExample> = {
  name: 'summarization',
  fields: ['document', 'summary'],
  schema: z.object({ document: textField(), summary: textField() }),
};

/** Column mappings for common summarization datasets as the Hugging Face Hub lays them out. */
export const summarizationColumnMappings: Readonly<Record<string, ColumnMapping>> = {
  cnn_dailymail: { document: 'article', summary: 'highlights' },
  xsum: { document: 'document', summary: 'summary' },
  samsum: { document: 'dialogue', summary: 'summary' },
  billsum: { document: 'text', summary: 'summary' },
};
