import { describe, expect, it } from 'vitest';
import { classificationTask, glueColumnMappings, labelSet } from '../../../../engine/data/tasks/classification.ts';
import { assertNoIssues, describeReport, readExamples } from '../../../../engine/data/tasks/read-examples.ts';

const fixtures = 'test/fixtures/data';

describe('classification examples', () => {
  it('reads the shipped sample data: 1000 balanced sentences per site', async () => {
    for (const site of ['amazon', 'imdb', 'yelp']) {
      const { examples, report } = await readExamples(`resources/datasets/sentiment/${site}.tsv`, classificationTask);
      assertNoIssues(report);
      expect(examples).toHaveLength(1000);
      expect(examples.filter((e) => e.example.label === '1')).toHaveLength(500);
    }
  });

  it('names the file, line and field of every bad row and keeps reading', async () => {
    const file = `${fixtures}/reviews-with-errors.tsv`;
    const { examples, report } = await readExamples(file, classificationTask);
    expect(examples.map((e) => e.location.line)).toEqual([2, 3, 7]);
    expect(report.issues).toEqual([
      { location: { file, line: 5 }, message: 'has 1 fields; the header has 2' },
      { location: { file, line: 8 }, field: 'text', message: 'is empty' },
      { location: { file, line: 9 }, field: 'label', message: 'must be a non-empty text or an integer' },
    ]);
    expect(report).toMatchObject({ rowsRead: 6, examples: 3, issueCount: 3 });
    expect(describeReport(report)).toContain(`${file}:8 field "text": is empty`);
  });

  it('caps the issues it keeps but counts them all, and says how many it left out', async () => {
    const { report } = await readExamples(`${fixtures}/reviews-with-errors.tsv`, classificationTask, { maxIssues: 1 });
    expect(report.issues).toHaveLength(1);
    expect(report.issueCount).toBe(3);
    expect(describeReport(report)).toContain('… and 2 more issues not listed');
  });

  it('maps GLUE columns onto a text pair, and names the source column in errors', async () => {
    const { examples } = await readExamples(`${fixtures}/mrpc-sample.csv`, classificationTask, {
      mapping: glueColumnMappings.mrpc,
    });
    expect(examples[1]?.example).toEqual({
      text: "Yucaipa owned Dominick's before selling the chain to Safeway in 1998.",
      textPair: "Yucaipa bought Dominick's in 1995 and sold it to Safeway in 1998.",
      label: '0',
    });
    const { report } = await readExamples(`${fixtures}/mrpc-sample.csv`, classificationTask, {
      mapping: { text: 'sentence1', textPair: 'sentence_2' },
    });
    expect(report.issues[0]).toMatchObject({ location: { line: 2 }, field: 'sentence_2', message: 'is missing' });
  });

  it('refuses a mapping that names a field the task does not have', async () => {
    await expect(
      readExamples(`${fixtures}/mrpc-sample.csv`, classificationTask, { mapping: { sentence: 'sentence1' } }),
    ).rejects.toThrow(/unknown task fields sentence/);
  });

  it('orders numeric labels by value', () => {
    expect(labelSet([{ label: '10' }, { label: '2' }, { label: '-1' }])).toEqual(['-1', '2', '10']);
    expect(labelSet([{ label: 'neutral' }, { label: 'entailment' }])).toEqual(['entailment', 'neutral']);
  });
});
