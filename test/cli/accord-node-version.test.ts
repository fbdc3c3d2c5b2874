/**
 * bin/accord.js on a Node older than package.json's engines: one line naming the Node needed and the Node
 * running, exit 1, before any TypeScript module is loaded. Runs with the system's /usr/bin/node when that is
 * older; otherwise there is no old Node here to run it with.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const accord = fileURLToPath(new URL('../../bin/accord.js', import.meta.url));
const engines = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    engines: { node: string };
  }
).engines.node;
const needed = /(\d+\.\d+\.\d+)/.exec(engines)?.[1] ?? '';
const oldNode = '/usr/bin/node';

function versionOf(node: string): string | undefined {
  if (!existsSync(node)) return undefined;
  return spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
}

const older = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true }) < 0;
const oldVersion = versionOf(oldNode);
const skipReason =
  oldVersion === undefined
    ? `${oldNode} is absent`
    : older(oldVersion, needed)
      ? undefined
      : `${oldNode} is Node ${oldVersion}, not older than ${needed}`;

describe('accord on an old Node', () => {
  it.skipIf(skipReason !== undefined)(
    `says which Node is needed and which runs, exit 1 (${skipReason ?? oldNode})`,
    () => {
      for (const args of [['--version'], ['participant', 'datasets', 'list']]) {
        const result = spawnSync(oldNode, [accord, ...args], { encoding: 'utf8' });
        expect(result.status).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe(
          `accord needs Node.js ${needed} or newer; this is Node.js ${oldVersion} (${oldNode})\n`,
        );
      }
    },
  );

  it('runs on this Node, which package.json engines allows', () => {
    expect(older(process.versions.node, needed)).toBe(false);
    expect(spawnSync(process.execPath, [accord, '--version'], { encoding: 'utf8' }).status).toBe(0);
  });
});
