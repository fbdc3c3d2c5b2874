/**
 * `npm test`: builds the UI, then runs every test project. The keychain tests need a Secret Service:
 * when this shell has no D-Bus session but GNOME Keyring is installed, the tests run inside a private
 * D-Bus session with a fresh, unlocked keyring, so `npm test` works the same on a desktop, a server and CI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const resultsFile = 'test-results/results.json';
const vitestArgs = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`];

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  return spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1;
}

function runTests(extraArgs: string[]): number {
  const needsPrivateKeyring =
    !process.env.DBUS_SESSION_BUS_ADDRESS && commandExists('dbus-run-session') && commandExists('gnome-keyring-daemon');
  if (!needsPrivateKeyring) return run('npx', ['--no-install', ...vitestArgs, ...extraArgs]);
  const keyringHome = mkdtempSync(join(tmpdir(), 'accord-keyring-'));
  const script =
    'printf accord-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec npx --no-install "$@"';
  try {
    return run('dbus-run-session', ['--', 'sh', '-c', script, 'sh', ...vitestArgs, ...extraArgs], {
      ...process.env,
      XDG_DATA_HOME: keyringHome,
    });
  } finally {
    rmSync(keyringHome, { recursive: true, force: true });
  }
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
const status = runTests(process.argv.slice(2));
printSummary();
process.exit(status);
