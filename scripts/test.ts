/**
 * `npm test`: builds the UI, then runs every test project. The keychain tests need a Secret Service:
 * when this shell has no D-Bus session but GNOME Keyring is installed, the tests run inside a private
 * D-Bus session with a fresh, unlocked keyring, so `npm test` works the same on a desktop, a server and CI.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { canRunWithPrivateKeyring, runWithPrivateKeyring } from './private-keyring.ts';

const resultsFile = 'test-results/results.json';
const vitestArgs = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  return spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1;
}

function runTests(extraArgs: string[]): number | Promise<number> {
  const args = ['--no-install', ...vitestArgs, ...extraArgs];
  if (process.env.DBUS_SESSION_BUS_ADDRESS || !canRunWithPrivateKeyring()) return run('npx', args);
  return runWithPrivateKeyring('npx', args);
}

function printSummary(): void {
  try {
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, number>;
    process.stdout.write(
      `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped\n`,
    );
  } catch {
    // vitest failed before writing results; its own output says why
  }
}

if (run('npm', ['run', '--silent', 'build:renderer']) !== 0) process.exit(1);
const status = await runTests(process.argv.slice(2));
printSummary();
process.exit(status);
