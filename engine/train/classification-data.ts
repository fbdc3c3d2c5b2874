/**
 * Prepares a text-classification dataset for the trainer: reads one or more files (CSV, TSV, JSONL, Parquet)
 * through engine/data with the user's column names, splits train / held-out by a seeded content hash, tokenizes,
 * and maps token ids onto a compact vocabulary built from the training split only.
 */
import { existsSync, statSync } from 'node:fs';
import { classificationTask, labelSet } from '../data/tasks/classification.ts';
import { assertNoIssues, readExamples } from '../data/tasks/read-examples.ts';
import type { LocatedExample } from '../data/tasks/read-examples.ts';
import type { ClassificationExample as TextExample } from '../data/tasks/classification.ts';
import { splitExamples } from '../data/split.ts';
import { loadTokenizer } from '../data/tokenizer.ts';
import type { ClassificationExample } from './classification-batches.ts';
import { CompactVocabulary } from './compact-vocabulary.ts';

export interface ClassificationDataOptions {
  files: readonly string[];
  textColumn: string;
  labelColumn: string;
  tokenizerPath: string;
  seqLen: number;
  validationFraction: number;
  seed: number;
  minTokenCount?: number;
}

export interface ClassificationData {
  labels: string[];
  train: ClassificationExample[];
  heldOut: ClassificationExample[];
  vocabulary: CompactVocabulary;
}

async function readAll(options: ClassificationDataOptions): Promise<LocatedExample<TextExample>[]> {
  if (options.files.length === 0) throw new Error('no data file given');
  const all: LocatedExample<TextExample>[] = [];
  for (const file of options.files) {
    // Checked here: a missing file would otherwise surface as a stream error outside the reader's promise.
    if (!existsSync(file) || !statSync(file).isFile()) throw new Error(`${file}: no such data file`);
    const mapping = { text: options.textColumn, label: options.labelColumn };
    const { examples, report } = await readExamples(file, classificationTask, { mapping });
    assertNoIssues(report);
    if (examples.length === 0) throw new Error(`${file}: no examples`);
    // Indices continue across files, so examples from different files never share one.
    for (const example of examples) all.push({ ...example, index: all.length });
  }
  return all;
}

export async function prepareClassificationData(options: ClassificationDataOptions): Promise<ClassificationData> {
  const examples = await readAll(options);
  const labels = labelSet(examples.map((item) => item.example));
  if (labels.length < 2)
    throw new Error(`column "${options.labelColumn}" has ${labels.length} distinct label(s); need 2 or more`);
  const split = splitExamples(examples, { validationFraction: options.validationFraction, seed: options.seed });
  if (split.train.length === 0 || split.validation.length === 0) {
    throw new Error(`split left ${split.train.length} training and ${split.validation.length} held-out examples`);
  }
  const tokenizer = loadTokenizer(options.tokenizerPath);
  const encode = (item: LocatedExample<TextExample>) => ({
    ids: tokenizer.encode(item.example.text, item.example.textPair, {
      maxLength: options.seqLen,
      truncation: 'longest_first',
    }).ids,
    label: labels.indexOf(item.example.label),
  });
  const train = split.train.map(encode);
  const heldOut = split.validation.map(encode);
  const vocabulary = CompactVocabulary.fromSequences(
    train.map((example) => example.ids),
    options.minTokenCount ?? 1,
  );
  const compact = (example: { ids: number[]; label: number }) => ({
    ids: vocabulary.map(example.ids),
    label: example.label,
  });
  return { labels, train: train.map(compact), heldOut: heldOut.map(compact), vocabulary };
}
