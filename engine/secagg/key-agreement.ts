/**
 * X25519 key pairs as raw 32-byte values (what travels and what is secret-shared), the shared secret
 * of two key pairs, and HKDF-SHA256 with one info label per use so that no derived key serves two
 * purposes (RFC 5869 §3.2; Bonawitz et al. 2017 §4 use one agreement for shares and one for masks).
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
} from 'node:crypto';
import { SecAggProtocolError } from './errors.ts';

/** DER prefixes of a PKCS#8 private key and an SPKI public key for X25519 (RFC 8410 §7, §10). */
const pkcs8Prefix = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);
const spkiPrefix = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00]);

export const x25519KeyBytes = 32;

export interface RawKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** The purposes of derived keys; each is a distinct HKDF info string. */
export type KeyPurpose = 'share-encryption' | 'pairwise-mask' | 'self-mask';

function withPrefix(prefix: Uint8Array, raw: Uint8Array): Buffer {
  return Buffer.concat([prefix, raw]);
}

function assertKeyLength(key: Uint8Array, what: string): void {
  if (key.byteLength !== x25519KeyBytes) {
    throw new SecAggProtocolError(`${what} must be ${x25519KeyBytes} bytes, got ${key.byteLength}`);
  }
}

export function generateX25519KeyPair(): RawKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  return {
    publicKey: new Uint8Array(spki.subarray(spki.length - x25519KeyBytes)),
    privateKey: new Uint8Array(pkcs8.subarray(pkcs8.length - x25519KeyBytes)),
  };
}

/** The public key of a raw private key: lets a reconstructed key be checked against the advertised one. */
export function x25519PublicKeyOf(privateKey: Uint8Array): Uint8Array {
  assertKeyLength(privateKey, 'X25519 private key');
  const key = createPrivateKey({ key: withPrefix(pkcs8Prefix, privateKey), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(spki.length - x25519KeyBytes));
}

/** The raw X25519 shared secret of my private key and a peer's public key. */
export function x25519SharedSecret(privateKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  assertKeyLength(privateKey, 'X25519 private key');
  assertKeyLength(peerPublicKey, 'X25519 public key');
  const secret = diffieHellman({
    privateKey: createPrivateKey({ key: withPrefix(pkcs8Prefix, privateKey), format: 'der', type: 'pkcs8' }),
    publicKey: createPublicKey({ key: withPrefix(spkiPrefix, peerPublicKey), format: 'der', type: 'spki' }),
  });
  return new Uint8Array(secret);
}

/**
 * HKDF-SHA256 of key material into a 32-byte key. The salt binds the round, the info string the purpose
 * and (for pairwise keys) the two participant ids in a canonical order, so both ends derive the same key.
 */
export function deriveKey(material: Uint8Array, roundId: string, purpose: KeyPurpose, ids: string[] = []): Uint8Array {
  const info = ['accord/secagg/v1', purpose, ...ids].join('\u0000');
  return new Uint8Array(hkdfSync('sha256', material, Buffer.from(`accord-round:${roundId}`), Buffer.from(info), 32));
}

/** A key two participants share: X25519 agreement, then HKDF bound to the round, the purpose and both ids. */
export function agreeKey(
  privateKey: Uint8Array,
  peerPublicKey: Uint8Array,
  roundId: string,
  purpose: KeyPurpose,
  idA: string,
  idB: string,
): Uint8Array {
  const ordered = idA < idB ? [idA, idB] : [idB, idA];
  return deriveKey(x25519SharedSecret(privateKey, peerPublicKey), roundId, purpose, ordered);
}

/**
 * SHA-256 commitment to a self-mask seed, bound to the round and the owner. The seed is 32 uniformly random
 * bytes, so the commitment reveals nothing usable about it; it lets the server check a reconstruction.
 */
export function commitToSeed(seed: Uint8Array, roundId: string, ownerId: string): Uint8Array {
  const label = ['accord/secagg/v1/self-mask-commitment', roundId, ownerId].join('\0');
  return new Uint8Array(createHash('sha256').update(label).update('\0').update(seed).digest());
}
