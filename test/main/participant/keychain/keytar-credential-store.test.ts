/**
 * Uses the REAL OS keychain (CI: gnome-keyring unlocked in a dbus session, see .ci/run). To run locally:
 * XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null;
 *   npx vitest run --project main test/main/participant/keychain'
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { keychainUnavailableHelp } from '../../../../main/participant/keychain/credential-store.ts';
import { KeytarCredentialStore } from '../../../../main/participant/keychain/keytar-credential-store.ts';
import {
  loadOrCreateIdentity,
  readCoordinatorCredential,
  storeCoordinatorCredential,
  forgetCoordinatorCredential,
  verifyIdentitySignature,
} from '../../../../main/participant/keychain/participant-identity.ts';

const store = new KeytarCredentialStore(`Accord-test-${randomUUID()}`);
const probe = fileURLToPath(new URL('../../../support/keychain-probe.ts', import.meta.url));

afterAll(async () => {
  await store.delete('identity.ed25519');
  await forgetCoordinatorCredential(store, 'fed-a');
});

describe('KeytarCredentialStore (real keychain)', () => {
  it('stores, reads and deletes a secret', async () => {
    await store.set('round-trip', 's3cret ✓');
    expect(await store.get('round-trip')).toBe('s3cret ✓');
    expect(await store.delete('round-trip')).toBe(true);
    expect(await store.get('round-trip')).toBeUndefined();
  });

  it('creates the Ed25519 identity once and loads the same key afterwards', async () => {
    const first = await loadOrCreateIdentity(store);
    const again = await loadOrCreateIdentity(store);
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
    const message = new TextEncoder().encode('participant-1|2026-01-01T00:00:00Z');
    const signature = again.sign(message);
    expect(verifyIdentitySignature(first.publicKeyPem, message, signature)).toBe(true);
    expect(verifyIdentitySignature(first.publicKeyPem, new TextEncoder().encode('other'), signature)).toBe(false);
    // Only the keychain holds the private key: it is there, in PKCS#8 PEM.
    expect(await store.get('identity.ed25519')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('keeps coordinator credentials per federation', async () => {
    await storeCoordinatorCredential(store, 'fed-a', 'token-a');
    expect(await readCoordinatorCredential(store, 'fed-a')).toBe('token-a');
    expect(await readCoordinatorCredential(store, 'fed-b')).toBeUndefined();
  });

  it('without a Secret Service, fails with the documented message naming the fix', async () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/accord-bus', DISPLAY: '' };
    const { stdout } = await promisify(execFile)(process.execPath, [probe], { env });
    expect(stdout).toContain(`KeychainUnavailableError: ${keychainUnavailableHelp}`);
    expect(stdout).toMatch(/gnome-keyring/);
    expect(stdout).toMatch(/dbus-run-session/);
  });
});
