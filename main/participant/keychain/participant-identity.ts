/**
 * The participant's Ed25519 identity: created once, the private key kept only in the credential store,
 * and coordinator credentials beside it (one account per federation).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { CredentialStore } from './credential-store.ts';

const identityAccount = 'identity.ed25519';
const coordinatorAccount = (federationId: string) => `coordinator.${federationId}`;

export interface ParticipantIdentity {
  readonly publicKeyPem: string;
  sign(message: Uint8Array): Uint8Array;
}

function identityFrom(privateKey: KeyObject): ParticipantIdentity {
  return {
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

export function verifyIdentitySignature(publicKeyPem: string, message: Uint8Array, signature: Uint8Array): boolean {
  return verify(null, message, createPublicKey(publicKeyPem), signature);
}

/**
 * The identity's private key, for the federation client's request signatures: loaded from the store, or
 * created and stored the first time. It is read back after storing, so a key the keychain did not keep fails here.
 */
export async function loadOrCreateIdentityKey(store: CredentialStore): Promise<KeyObject> {
  const stored = await store.get(identityAccount);
  if (stored) return createPrivateKey(stored);
  const { privateKey } = generateKeyPairSync('ed25519');
  await store.set(identityAccount, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const kept = await store.get(identityAccount);
  if (!kept) throw new Error('the keychain did not keep the participant identity');
  return createPrivateKey(kept);
}

/** Loads the identity from the store, creating and storing a new key pair the first time. */
export async function loadOrCreateIdentity(store: CredentialStore): Promise<ParticipantIdentity> {
  return identityFrom(await loadOrCreateIdentityKey(store));
}

export async function storeCoordinatorCredential(
  store: CredentialStore,
  federationId: string,
  secret: string,
): Promise<void> {
  await store.set(coordinatorAccount(federationId), secret);
}

export async function readCoordinatorCredential(
  store: CredentialStore,
  federationId: string,
): Promise<string | undefined> {
  return store.get(coordinatorAccount(federationId));
}

export async function forgetCoordinatorCredential(store: CredentialStore, federationId: string): Promise<boolean> {
  return store.delete(coordinatorAccount(federationId));
}
