/**
 * A private Secret Service for a command on a machine where no OS keychain answers (a server, CI, a shell
 * without a desktop session) or where the login keyring is locked: the command runs inside its own D-Bus
 * session, with GNOME Keyring unlocked in a fresh XDG_DATA_HOME that is removed afterwards, so no existing
 * keyring is touched. Shared by `npm test` and `npm run demo`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set inside the private session, so that a command does not try to start another one. */
export const privateKeyringMarker = 'ACCORD_PRIVATE_KEYRING';

/** Unlocks the keyring, notes the command's pid (exec keeps it), then becomes the command. */
const unlockThenRun =
  'printf accord | gnome-keyring-daemon --unlock --components=secrets >/dev/null && echo $$ > "$ACCORD_KEYRING_COMMAND_PID" && exec "$@"';

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** True where dbus-run-session and gnome-keyring-daemon are installed and this is not already the private session. */
export function canRunWithPrivateKeyring(): boolean {
  return (
    !process.env[privateKeyringMarker] && commandExists('dbus-run-session') && commandExists('gnome-keyring-daemon')
  );
}

/** Sends a signal to the command only: the bus and the keyring must outlive its clean-up. */
function forwardTo(pidFile: string, signal: NodeJS.Signals): void {
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), signal);
  } catch {
    // not started yet, or already gone: nothing to stop
  }
}

/** Runs `command args…` in a private D-Bus session with a fresh, unlocked keyring; resolves to its exit status. */
export async function runWithPrivateKeyring(command: string, args: readonly string[]): Promise<number> {
  const dataHome = mkdtempSync(join(tmpdir(), 'accord-keyring-'));
  const pidFile = join(dataHome, 'command.pid');
  // A process group of its own: Ctrl+C reaches this process, which hands it to the command alone.
  const child = spawn('dbus-run-session', ['--', 'sh', '-c', unlockThenRun, 'sh', command, ...args], {
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, XDG_DATA_HOME: dataHome, ACCORD_KEYRING_COMMAND_PID: pidFile, [privateKeyringMarker]: '1' },
  });
  const forwarders = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const forward = () => forwardTo(pidFile, signal);
    process.on(signal, forward);
    return () => process.off(signal, forward);
  });
  try {
    return await new Promise<number>((resolve) => {
      child.once('error', () => resolve(1));
      child.once('exit', (code) => resolve(code ?? 1));
    });
  } finally {
    for (const stop of forwarders) stop();
    rmSync(dataHome, { recursive: true, force: true });
  }
}

/** The same, as one shell line a person can type (quoted for sh). */
export function privateKeyringCommandLine(command: string): string {
  return (
    `XDG_DATA_HOME="$(mktemp -d)" dbus-run-session -- sh -c ` +
    `'printf accord | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ${command}'`
  );
}
