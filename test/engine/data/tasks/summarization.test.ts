import { describe, expect, it } from 'vitest';
import { readExamples } from '../../../../engine/data/tasks/read-examples.ts';
import { summarizationColumnMappings, summarizationTask } from '../../../../engine/data/tasks/summarization.ts';

describe('summarization examples', () => {
  it('maps CNN/DailyMail columns and rejects an empty article by line and source column', async () => {
    const file = 'test/fixtures/data/summaries-sample.jsonl';
    const { examples, report } = await readExamples(file, summarizationTask, {
      mapping: summarizationColumnMappings.cnn_dailymail,
    });
    expect(examples.map((e) => e.example.summary)).toEqual([
      "Council extends library hours to 9 pm on weekdays after a residents' petition.",
      'Rain closes two valley roads; reopening expected Friday.',
    ]);
    expect(report.issues).toEqual([{ location: { file, line: 3 }, field: 'article', message: 'is empty' }]);
  });
});
