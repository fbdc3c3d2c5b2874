/**
 * What a participant signs on every request after enrolment, and what the coordinator checks:
 * Ed25519 over "accord.v1\n<method path>\n<participant id>\n<timestamp ms>\n<hex sha256 of the request>".
 * Binding the method and the body hash means a captured signature cannot be moved to another call.
 */
import { createHash, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export const signatureHeaders = {
  participantId: 'accord-participant-id',
  timestamp: 'accord-timestamp',
  signature: 'accord-signature',
} as const;

/** Requests whose timestamp is further than this from the coordinator's clock are refused. */
export const maxClockSkewMs = 5 * 60 * 1000;

export interface SignedRequestFields {
  readonly methodPath: string;
  readonly participantId: string;
  readonly timestampMs: number;
  readonly bodySha256: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function requestSigningText(fields: SignedRequestFields): Buffer {
  const { methodPath, participantId, timestampMs, bodySha256 } = fields;
  return Buffer.from(`accord.v1\n${methodPath}\n${participantId}\n${timestampMs}\n${bodySha256}`, 'utf8');
}

export function signRequest(fields: SignedRequestFields, privateKey: KeyObject): string {
  return sign(null, requestSigningText(fields), privateKey).toString('base64');
}

export function verifyRequestSignature(
  fields: SignedRequestFields,
  signatureBase64: string,
  publicKey: KeyObject,
): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length !== 64) return false;
  return verify(null, requestSigningText(fields), publicKey, signature);
}

/** A raw 32-byte Ed25519 public key (as carried on the wire) as a KeyObject. */
export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new Error(`an Ed25519 public key has 32 bytes, got ${raw.length}`);
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

export function ed25519PublicKeyToRaw(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('the key is not an Ed25519 key');
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}
