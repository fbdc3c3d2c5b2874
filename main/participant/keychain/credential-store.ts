/**
 * Where the participant keeps its secrets (Ed25519 identity, coordinator credentials). One interface, so the
 * OS keychain through keytar can be replaced by Electron's safeStorage without touching its callers.
 */
export interface CredentialStore {
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

export const keychainServiceName = 'Accord';

/** The documented message when no OS keychain answers (Linux: no Secret Service on D-Bus). */
export const keychainUnavailableHelp =
  'No OS keychain is available: Accord keeps its identity in the Secret Service (D-Bus). ' +
  'Install and start GNOME Keyring (apt-get install gnome-keyring dbus-x11; ' +
  'printf <password> | gnome-keyring-daemon --unlock --components=secrets), ' +
  'or on a server run Accord under `dbus-run-session` with an unlocked keyring.';

export class KeychainUnavailableError extends Error {
  override readonly cause: unknown;
  constructor(cause: unknown) {
    super(`${keychainUnavailableHelp} (cause: ${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = 'KeychainUnavailableError';
    this.cause = cause;
  }
}
