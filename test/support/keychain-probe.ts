/** Child process for the keychain tests: one keychain read, printing the error message if it fails. */
import { KeytarCredentialStore } from '../../main/participant/keychain/keytar-credential-store.ts';

try {
  await new KeytarCredentialStore('Accord-probe').get('nothing');
  process.stdout.write('OK\n');
} catch (error) {
  process.stdout.write(`${(error as Error).name}: ${(error as Error).message}\n`);
}
