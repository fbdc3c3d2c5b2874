/**
 * npm run bench:transfer — moves a 100 MiB and a 1 GiB model down and an update of the same size up
 * through a real coordinator over loopback TLS, each size in a fresh process so its peak RSS is its
 * own; then the streamed aggregation of 50 participants × 10 M parameters. Last line: a JSON object.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { streamedWeightedMean } from '../coordinator/rounds/streamed-weighted-mean.ts';
import { writeFloats } from './bench-floats.ts';
import { runTransfer } from './bench-transfer-run.ts';

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function aggregationBench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-bench-aggregate-'));
  const elements = 10_000_000;
  const participants = 50;
  try {
    const files = [];
    for (let p = 0; p < participants; p += 1) {
      const path = join(dir, `update-${p}.f32`);
      const file = await open(path, 'w');
      await writeFloats(
        {
          append: async (values) =>
            void (await file.write(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))),
        },
        elements,
        p,
      );
      await file.close();
      files.push({ path, numExamples: 100 + p });
    }
    const before = peakRssMb();
    const started = performance.now();
    await streamedWeightedMean(files, elements);
    const seconds = (performance.now() - started) / 1000;
    return {
      participants,
      parameters: elements,
      aggregation_s: Number(seconds.toFixed(2)),
      peak_rss_mb: peakRssMb(),
      rss_before_mb: before,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === '--size') {
    console.log(JSON.stringify(await runTransfer(Number(process.argv[3]))));
    return;
  }
  if (mode === '--aggregate') {
    console.log(JSON.stringify(await aggregationBench()));
    return;
  }
  const self = fileURLToPath(import.meta.url);
  const child = (args: string[]) => {
    const result = spawnSync(process.execPath, [self, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (result.status !== 0) throw new Error(`bench child ${args.join(' ')} failed (${result.status})`);
    const last = result.stdout.trim().split('\n').at(-1)!;
    console.log(last);
    return JSON.parse(last) as Record<string, number>;
  };
  const runs = [100, 1024].map((size) => child(['--size', String(size)]));
  const aggregation = child(['--aggregate']);
  const big = runs.at(-1)!;
  console.log(JSON.stringify({ ...big, runs, aggregation }));
}

await main();
