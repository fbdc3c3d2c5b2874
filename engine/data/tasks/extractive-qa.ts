/**
 * Extractive question answering: a question, a context, and the answers as spans of the context (none for an
 * unanswerable question, SQuAD v2). Records use the Hugging Face layout — question, context,
 * answers { text[], answer_start[] } — which readSquadJson produces from SQuAD v1.1 / v2.0 files too. Every
 * answer_start must point at its text in the context; a record that says it is impossible must have no answers.
 */
import { z } from 'zod';
import { type TaskSchema, textField } from './task-schema.ts';

export interface QaExample {
  id?: string | undefined;
  question: string;
  context: string;
  /** answerStart is a UTF-16 index into context (String.prototype.slice), converted from the file's code points. */
  answers: { text: string[]; answerStart: number[] };
  isImpossible: boolean;
}

/** SQuAD's answer_start counts Unicode code points (Python strings); JavaScript strings index UTF-16 units. */
export function codePointToUtf16Index(text: string, codePointIndex: number): number {
  if (!/[\uD800-\uDFFF]/.test(text)) return codePointIndex;
  let units = 0;
  let points = 0;
  for (const char of text) {
    if (points === codePointIndex) return units;
    units += char.length;
    points += 1;
  }
  return points === codePointIndex ? units : -1;
}

const answersField = z.object(
  {
    text: z.array(z.string({ error: 'must be text' }), { error: 'must be a list of answer texts' }),
    answer_start: z.array(z.number().int().nonnegative({ error: 'must be a character position (≥ 0)' }), {
      error: 'must be a list of character positions',
    }),
  },
  { error: (issue) => (issue.input === undefined ? 'is missing' : 'must be { text: [...], answer_start: [...] }') },
);

const qaRecord = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    question: textField(),
    context: textField(),
    answers: answersField,
    is_impossible: z.boolean().optional(),
  })
  .superRefine((record, context) => {
    const { text, answer_start: starts } = record.answers;
    if (text.length !== starts.length) {
      const message = `has ${text.length} answer texts but ${starts.length} answer_start positions`;
      context.addIssue({ code: 'custom', path: ['answers'], message });
      return;
    }
    if (record.is_impossible === true && text.length > 0)
      context.addIssue({ code: 'custom', path: ['answers'], message: 'an impossible question must have no answers' });
    text.forEach((answer, i) => {
      const start = codePointToUtf16Index(record.context, starts[i] ?? 0);
      const found = start < 0 ? '' : record.context.slice(start, start + answer.length);
      if (found !== answer)
        context.addIssue({
          code: 'custom',
          path: ['answers', 'answer_start', i],
          message: `${starts[i]} does not point at the answer "${answer}" in the context (found "${found}")`,
        });
    });
  })
  .transform((record): QaExample => ({
    id: record.id === undefined ? undefined : String(record.id),
    question: record.question,
    context: record.context,
    answers: {
      text: record.answers.text,
      answerStart: record.answers.answer_start.map((start) => codePointToUtf16Index(record.context, start)),
    },
    isImpossible: record.answers.text.length === 0,
  }));

export const extractiveQaTask: TaskSchema<QaExample> = {
  name: 'extractive-qa',
  fields: ['id', 'question', 'context', 'answers', 'is_impossible'],
  schema: qaRecord,
};
