/** The OS keychain through keytar: Keychain on macOS, Credential Vault on Windows, Secret Service on Linux. */
import keytar from 'keytar';
import { KeychainUnavailableError, keychainServiceName, type CredentialStore } from './credential-store.ts';

async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw new KeychainUnavailableError(error);
  }
}

export class KeytarCredentialStore implements CredentialStore {
  readonly service: string;

  constructor(service: string = keychainServiceName) {
    this.service = service;
  }

  async get(account: string): Promise<string | undefined> {
    return (await guarded(() => keytar.getPassword(this.service, account))) ?? undefined;
  }

  async set(account: string, secret: string): Promise<void> {
    await guarded(() => keytar.setPassword(this.service, account, secret));
  }

  async delete(account: string): Promise<boolean> {
    return guarded(() => keytar.deletePassword(this.service, account));
  }
}
