/**
 * The coordinator's container image definition, read as a builder would (no image is built here: that needs a
 * container engine and the base image from a registry). What can be checked without one: the image runs as a
 * non-root user, its state is the volume, its health check is a real command that reads the configuration on that
 * volume, and every source file the `accord` command can load is copied into it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const containerfile = readFileSync(join(root, 'resources/deploy/container/Containerfile'), 'utf8');

/** Each instruction of the final stage, continuation lines joined. */
function finalStage(): { keyword: string; args: string }[] {
  const lines = containerfile.replace(/\\\n/g, ' ').split('\n');
  const instructions = lines
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
  const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
  return instructions.slice(lastFrom);
}

/** Every file reachable from bin/accord.js by relative imports, static or dynamic. */
function reachableFiles(start: string): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), match[1] as string);
      if (existsSync(target) && /\.(ts|js)$/.test(target)) queue.push(target);
    }
  }
  return seen;
}

describe('the coordinator Containerfile', () => {
  const stage = finalStage();
  const args = (keyword: string) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);

  it('runs as a non-root user with its state on the volume /var/lib/accord/coordinator', () => {
    expect(args('USER')).toEqual(['accord']);
    expect(args('VOLUME')).toEqual(['["/var/lib/accord/coordinator"]']);
    expect(args('CMD').at(-1)).toContain('/var/lib/accord/coordinator/coordinator.json');
  });

  it('checks health with `accord coordinator health`, a command that exists, on the configuration in the volume', async () => {
    const [healthcheck = ''] = args('HEALTHCHECK');
    const command = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD') + 3).trim()) as string[];
    expect(command.slice(0, 5)).toEqual(['node', '/opt/accord/bin/accord.js', 'coordinator', 'health', '--config']);
    expect(command[5]).toBe('/var/lib/accord/coordinator/coordinator.json');
    const help = await promisify(execFile)(process.execPath, [join(root, 'bin/accord.js'), 'coordinator', 'health', '--help']);
    expect(help.stdout).toContain('usage: accord coordinator health');
  });

  it('copies every source folder the accord command can load', () => {
    const copied = new Set(args('COPY').map((a) => a.split(/\s+/)[0]));
    const needed = new Set(
      [...reachableFiles(join(root, 'bin/accord.js'))].map((file) => relative(root, file).split('/')[0]),
    );
    expect(needed.size).toBeGreaterThan(3);
    for (const folder of needed) expect(copied, `${folder}/ is loaded but not copied`).toContain(folder);
    for (const folder of copied) if (!folder?.startsWith('--')) expect(existsSync(join(root, folder ?? ''))).toBe(true);
  });
});
