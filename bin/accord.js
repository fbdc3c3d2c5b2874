#!/usr/bin/env node
// The `accord` command. Plain JavaScript that any Node runs, so that an old Node gets a one-line answer
// (the commands are TypeScript, which only Node 22.18 and later load without a build step).
import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const needed = /(\d+)\.(\d+)\.(\d+)/.exec(packageJson.engines.node)?.slice(1).map(Number);
const running = process.versions.node.split('.').map(Number);

function isOlder(version, minimum) {
  for (let part = 0; part < 3; part += 1) if (version[part] !== minimum[part]) return version[part] < minimum[part];
  return false;
}

if (needed && isOlder(running, needed)) {
  process.stderr.write(
    `accord needs Node.js ${needed.join('.')} or newer; this is Node.js ${process.versions.node} (${process.execPath})\n`,
  );
  process.exit(1);
}

const { runCommandLine } = await import('../cli/command-line/run-command-line.ts');
const { accordCommands } = await import('../cli/commands.ts');
const code = await runCommandLine(accordCommands, process.argv.slice(2));
// A failed command ends now, whatever it left open; a command that serves keeps running.
if (code !== 0) process.exit(code);
