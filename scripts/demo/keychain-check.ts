/**
 * The demo keeps each participant's identity key in the OS keychain. Where none answers (no desktop session)
 * or the login keyring is locked, the demo runs itself again in a private D-Bus session with its own unlocked
 * keyring, when GNOME Keyring is installed; otherwise it says how to do that by hand.
 */
import { randomUUID } from 'node:crypto';
import { KeychainUnavailableError } from '../../main/participant/keychain/credential-store.ts';
import { KeytarCredentialStore } from '../../main/participant/keychain/keytar-credential-store.ts';
import { canRunWithPrivateKeyring, privateKeyringCommandLine, runWithPrivateKeyring } from '../private-keyring.ts';

async function keychainProblem(): Promise<KeychainUnavailableError | undefined> {
  const probe = new KeytarCredentialStore(`Accord demo probe ${randomUUID()}`);
  try {
    await probe.set('probe', 'ok');
    await probe.delete('probe');
    return undefined;
  } catch (error) {
    if (error instanceof KeychainUnavailableError) return error;
    throw error;
  }
}

/** Returns when a keychain answers; otherwise re-runs this process in a private keyring, or explains, and exits. */
export async function ensureKeychain(say: (line: string) => void, npmCommand: string): Promise<void> {
  const problem = await keychainProblem();
  if (!problem) return;
  say("The demo keeps each participant's identity key in the OS keychain, and none answers here:");
  say(`  ${problem.message}`);
  if (canRunWithPrivateKeyring()) {
    say('Running the demo again in a private D-Bus session with its own unlocked GNOME keyring');
    say('(a fresh XDG_DATA_HOME, removed when the demo ends; your own keyring is not touched).');
    process.exit(await runWithPrivateKeyring(process.execPath, [...process.execArgv, ...process.argv.slice(1)]));
  }
  say('On Linux, run it in a private D-Bus session with its own keyring (needs dbus and gnome-keyring):');
  say(`  ${privateKeyringCommandLine(npmCommand)}`);
  process.exit(1);
}
