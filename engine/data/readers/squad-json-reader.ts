/**
 * Reads SQuAD v1.1 / v2.0 JSON files ({ version, data: [{ title, paragraphs: [{ context, qas: [...] }] }] }) as
 * records in the Hugging Face layout, one per question, located by their JSON path. A SQuAD file is one JSON
 * document, so it is parsed whole (the official files are at most ~40 MB); JSONL or Parquet stream instead.
 */
import { readFile } from 'node:fs/promises';
import type { ReadItem } from './source-row.ts';

interface SquadAnswer {
  text?: unknown;
  answer_start?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function listAt(value: unknown, key: string): unknown[] | undefined {
  return isObject(value) && Array.isArray(value[key]) ? value[key] : undefined;
}

function questionRecord(title: unknown, context: unknown, qa: Record<string, unknown>): Record<string, unknown> {
  const answers = (Array.isArray(qa.answers) ? qa.answers : []) as SquadAnswer[];
  return {
    id: qa.id,
    title,
    context,
    question: qa.question,
    answers: { text: answers.map((a) => a.text), answer_start: answers.map((a) => a.answer_start) },
    ...(typeof qa.is_impossible === 'boolean' ? { is_impossible: qa.is_impossible } : {}),
  };
}

export async function* readSquadJson(file: string): AsyncGenerator<ReadItem> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${file} is not valid JSON: ${reason}`, { cause: error });
  }
  const articles = listAt(document, 'data');
  if (!articles) throw new Error(`${file} is not a SQuAD file: it has no "data" list`);
  let index = 0;
  for (const [a, article] of articles.entries()) {
    const paragraphs = listAt(article, 'paragraphs');
    if (!paragraphs) {
      const issue = { location: { file, path: `data[${a}]` }, field: 'paragraphs', message: 'is missing' };
      yield { kind: 'issue', issue };
      continue;
    }
    for (const [p, paragraph] of paragraphs.entries()) {
      const path = `data[${a}].paragraphs[${p}]`;
      const qas = listAt(paragraph, 'qas');
      if (!qas || !isObject(paragraph)) {
        yield { kind: 'issue', issue: { location: { file, path }, field: 'qas', message: 'is missing' } };
        continue;
      }
      for (const [q, qa] of qas.entries()) {
        const location = { file, path: `${path}.qas[${q}]` };
        if (!isObject(qa)) yield { kind: 'issue', issue: { location, message: 'is not an object' } };
        else
          yield {
            kind: 'row',
            row: {
              location,
              index,
              record: questionRecord(isObject(article) ? article.title : undefined, paragraph.context, qa),
            },
          };
        index += 1;
      }
    }
  }
}
