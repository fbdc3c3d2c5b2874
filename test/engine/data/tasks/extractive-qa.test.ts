import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { codePointToUtf16Index, extractiveQaTask } from '../../../../engine/data/tasks/extractive-qa.ts';
import { readExamples } from '../../../../engine/data/tasks/read-examples.ts';

const squadFile = 'test/fixtures/data/squad-v2-sample.json';
const jsonlFile = 'test/fixtures/data/qa-sample.jsonl';
const temp = mkdtempSync(join(tmpdir(), 'accord-qa-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A Parquet file as the Hugging Face Hub stores SQuAD: answers is struct<text: list<string>, answer_start: list<int32>>. */
function writeQaParquet(file: string, context: string): void {
  const utf8 = { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' } as const;
  const list = (name: string, element: object) => [
    { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', ...element },
  ];
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: ['a', 'b', 'c'] },
      { name: 'context', data: [context, context, context] },
      { name: 'question', data: ['Where?', 'Who named it?', 'Where, again?'] },
      {
        name: 'answers',
        data: [
          { text: ['Port Delling'], answer_start: [context.indexOf('Port Delling')] },
          { text: [], answer_start: [] },
          { text: ['Port Delling'], answer_start: [3] },
        ],
      },
    ],
    schema: [
      { name: 'root', num_children: 4 },
      { name: 'id', ...utf8 },
      { name: 'context', ...utf8 },
      { name: 'question', ...utf8 },
      { name: 'answers', repetition_type: 'OPTIONAL', num_children: 2 },
      ...list('text', utf8),
      ...list('answer_start', { type: 'INT32', repetition_type: 'OPTIONAL' }),
    ],
  } as Parameters<typeof parquetWriteBuffer>[0]);
  writeFileSync(file, new Uint8Array(buffer));
}

describe('extractive QA examples', () => {
  it('reads SQuAD v2 JSON, answerable and unanswerable, with answer spans that point at the answer', async () => {
    const { examples } = await readExamples(squadFile, extractiveQaTask);
    expect(examples.map((e) => e.example.id)).toEqual(['q1', 'q2', 'q3', 'q5', 'q6']);
    for (const { example } of examples)
      example.answers.text.forEach((text, i) => {
        const start = example.answers.answerStart[i]!;
        expect(example.context.slice(start, start + text.length)).toBe(text);
      });
    expect(examples.find((e) => e.example.id === 'q3')?.example).toMatchObject({
      isImpossible: true,
      answers: { text: [] },
    });
  });

  it('converts SQuAD code-point positions to JavaScript string positions', async () => {
    // The garden context has an emoji (two UTF-16 units) before the answers: code point 60 is UTF-16 index 61.
    const { examples } = await readExamples(squadFile, extractiveQaTask);
    expect(examples.find((e) => e.example.id === 'q6')?.example.answers.answerStart).toEqual([61]);
    expect(codePointToUtf16Index('a😀b', 2)).toBe(3);
    expect(codePointToUtf16Index('abc', 2)).toBe(2);
  });

  it('names the JSON path and field of a wrong answer_start and of a paragraph without questions', async () => {
    const { report } = await readExamples(squadFile, extractiveQaTask);
    expect(report.issues).toEqual([
      {
        location: { file: squadFile, path: 'data[0].paragraphs[0].qas[3]' },
        field: 'answers.answer_start[0]',
        message: '5 does not point at the answer "northern hills" in the context (found "ccord river ri")',
      },
      { location: { file: squadFile, path: 'data[1].paragraphs[1]' }, field: 'qas', message: 'is missing' },
    ]);
  });

  it('reads the Hugging Face JSONL layout and names the line of every bad record', async () => {
    const { examples, report } = await readExamples(jsonlFile, extractiveQaTask);
    expect(examples.map((e) => [e.location.line, e.example.isImpossible])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(report.issues.map((issue) => [issue.location.line, issue.field, issue.message.slice(0, 30)])).toEqual([
      [4, 'answers', 'has 1 answer texts but 2 answe'],
      [5, undefined, 'is not valid JSON (Expected do'],
      [6, undefined, 'is an array, not a JSON object'],
    ]);
  });

  it('reads the Hugging Face Parquet layout with nested answers, naming the row of a wrong answer_start', async () => {
    const file = join(temp, 'squad.parquet');
    const context = 'The river reaches the sea at Port Delling.';
    writeQaParquet(file, context);
    const { examples, report } = await readExamples(file, extractiveQaTask);
    expect(examples.map((e) => [e.example.id, e.example.answers.answerStart, e.example.isImpossible])).toEqual([
      ['a', [29], false],
      ['b', [], true],
    ]);
    expect(report.issues).toMatchObject([{ location: { file, row: 2 }, field: 'answers.answer_start[0]' }]);
  });

  it('refuses an impossible question that has answers', () => {
    const parsed = extractiveQaTask.schema.safeParse({
      question: 'q?',
      context: 'some context',
      answers: { text: ['some'], answer_start: [0] },
      is_impossible: true,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('an impossible question must have no answers');
  });
});
