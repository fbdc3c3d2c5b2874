/** Type-checks each runtime area with its own tsconfig, then the Svelte components. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const areas = ['engine', 'protocol', 'coordinator', 'main', 'cli', 'preload', 'renderer', 'test'];
let failed = false;

function run(label: string, command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    failed = true;
    process.stderr.write(`typecheck failed: ${label}\n`);
  }
}

/** An area that has no TypeScript yet has nothing to check (tsc would fail on an empty input). */
function hasTypeScript(area: string): boolean {
  return readdirSync(area, { recursive: true, encoding: 'utf8' }).some((file) => /\.(ts|svelte)$/.test(file));
}

for (const area of areas.filter(hasTypeScript))
  run(area, 'npx', ['--no-install', 'tsc', '-p', `${area}/tsconfig.json`]);
run('svelte', 'npx', [
  '--no-install',
  'svelte-check',
  '--tsconfig',
  'renderer/tsconfig.json',
  '--fail-on-warnings',
  '--output',
  'human',
]);
process.exit(failed ? 1 : 0);
