/**
 * Generates a JSON Lines classification file (1 GiB by default) in a temp dir, streams it through the reader and
 * validation in a separate process, and reports throughput and peak RSS growth; the file is deleted afterwards.
 * Usage: npm run bench:data [-- <MiB>]. Last line: a JSON object with the figures.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLargeJsonLines } from '../engine/data/large-file-fixture.ts';

const mebibytes = Number(process.argv[2] ?? 1024);
const dir = mkdtempSync(join(tmpdir(), 'accord-bench-data-'));
const file = join(dir, 'large.jsonl');
try {
  const sentences = ['A very, very, very slow-moving, aimless movie.', 'The food was great and the staff friendly.'];
  const started = performance.now();
  const written = await writeLargeJsonLines(file, mebibytes * 1024 * 1024, sentences);
  const writeSeconds = (performance.now() - started) / 1000;
  process.stdout.write(`wrote ${written.rows} rows (${mebibytes} MiB) in ${writeSeconds.toFixed(1)} s\n`);
  const measured = spawnSync(process.execPath, ['scripts/measure-streaming.ts', file], { encoding: 'utf8' });
  if (measured.status !== 0) throw new Error(`measuring failed: ${measured.stderr}`);
  const figures = {
    mebibytes,
    rows: written.rows,
    writeSeconds: Number(writeSeconds.toFixed(2)),
    ...JSON.parse(measured.stdout),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
