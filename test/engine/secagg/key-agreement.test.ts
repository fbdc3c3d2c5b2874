import { describe, expect, it } from 'vitest';
import {
  agreeKey,
  deriveKey,
  generateX25519KeyPair,
  x25519PublicKeyOf,
  x25519SharedSecret,
} from '../../../engine/secagg/key-agreement.ts';

const hex = (value: string): Uint8Array => Uint8Array.from(Buffer.from(value, 'hex'));

describe('X25519 and HKDF-SHA256', () => {
  it('matches the RFC 7748 §6.1 test vector', () => {
    const alicePrivate = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bobPrivate = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const alicePublic = hex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    const bobPublic = hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    expect(x25519PublicKeyOf(alicePrivate)).toEqual(alicePublic);
    expect(x25519PublicKeyOf(bobPrivate)).toEqual(bobPublic);
    const shared = hex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
    expect(x25519SharedSecret(alicePrivate, bobPublic)).toEqual(shared);
    expect(x25519SharedSecret(bobPrivate, alicePublic)).toEqual(shared);
  });

  it('gives both ends the same key, bound to the purpose, the round and the pair', () => {
    const u = generateX25519KeyPair();
    const v = generateX25519KeyPair();
    const key = agreeKey(u.privateKey, v.publicKey, 'r1', 'pairwise-mask', 'u', 'v');
    expect(agreeKey(v.privateKey, u.publicKey, 'r1', 'pairwise-mask', 'v', 'u')).toEqual(key);
    expect(agreeKey(u.privateKey, v.publicKey, 'r1', 'share-encryption', 'u', 'v')).not.toEqual(key);
    expect(agreeKey(u.privateKey, v.publicKey, 'r2', 'pairwise-mask', 'u', 'v')).not.toEqual(key);
    expect(agreeKey(u.privateKey, v.publicKey, 'r1', 'pairwise-mask', 'u', 'w')).not.toEqual(key);
  });

  it('derives 32-byte keys with HKDF-SHA256 that separate purposes', () => {
    const material = new Uint8Array(32).fill(7);
    expect(deriveKey(material, 'r', 'self-mask')).toHaveLength(32);
    expect(deriveKey(material, 'r', 'self-mask')).not.toEqual(deriveKey(material, 'r', 'pairwise-mask'));
  });

  it('refuses keys of the wrong length', () => {
    expect(() => x25519SharedSecret(new Uint8Array(31), new Uint8Array(32))).toThrow(
      /private key must be 32 bytes, got 31/,
    );
  });
});
