/**
 * Streams one classification file through the reader and validation, sampling this process's RSS, and prints
 * one JSON line: examples, issues, seconds, and peak RSS growth over the RSS measured just before reading.
 * Run in its own process so that nothing else (writing the file, a test runner) shares the measurement.
 * Usage: node scripts/measure-streaming.ts <file>
 */
import { statSync } from 'node:fs';
import { classificationTask } from '../engine/data/tasks/classification.ts';
import { emptyReport, streamExamples } from '../engine/data/tasks/read-examples.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: node scripts/measure-streaming.ts <file>');
const baseline = process.memoryUsage.rss();
let peak = baseline;
let examples = 0;
const report = emptyReport(file);
const started = performance.now();
for await (const _ of streamExamples(file, classificationTask, {}, report)) {
  examples += 1;
  if (examples % 5_000 === 0) peak = Math.max(peak, process.memoryUsage.rss());
}
peak = Math.max(peak, process.memoryUsage.rss());
const seconds = (performance.now() - started) / 1000;
const mebibytes = statSync(file).size / 1024 / 1024;
process.stdout.write(
  `${JSON.stringify({
    examples,
    issues: report.issueCount,
    seconds: Number(seconds.toFixed(2)),
    mebibytesPerSecond: Number((mebibytes / seconds).toFixed(1)),
    rowsPerSecond: Math.round(examples / seconds),
    baselineRssMiB: Number((baseline / 1024 / 1024).toFixed(1)),
    peakRssGrowthMiB: Number(((peak - baseline) / 1024 / 1024).toFixed(1)),
  })}\n`,
);
