/**
 * What a participant signs on every request after enrolment, and what the coordinator checks:
 * Ed25519 over "accord.v1\n<method path>\n<participant id>\n<timestamp ms>\n<nonce>\n<hex sha256 of the request>".
 * Binding the method and the body hash means a captured signature cannot be moved to another call; the
 * random nonce makes two identical requests in the same millisecond carry different signatures, so the
 * coordinator's replay check refuses only a true replay. The signature travels as canonical base64 with
 * padding and nothing else, so one signature has exactly one spelling on the wire.
 */
import { createHash, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export const signatureHeaders = {
  participantId: 'accord-participant-id',
  timestamp: 'accord-timestamp',
  nonce: 'accord-nonce',
  signature: 'accord-signature',
} as const;

/** Requests whose timestamp is further than this from the coordinator's clock are refused. */
export const maxClockSkewMs = 5 * 60 * 1000;

/** 16 random bytes as 32 lowercase hex digits. */
export const requestNoncePattern = /^[0-9a-f]{32}$/;

const ed25519SignatureBytes = 64;
const canonicalBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface SignedRequestFields {
  readonly methodPath: string;
  readonly participantId: string;
  readonly timestampMs: number;
  readonly nonce: string;
  readonly bodySha256: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function newRequestNonce(): string {
  return randomBytes(16).toString('hex');
}

export function requestSigningText(fields: SignedRequestFields): Buffer {
  const { methodPath, participantId, timestampMs, nonce, bodySha256 } = fields;
  return Buffer.from(`accord.v1\n${methodPath}\n${participantId}\n${timestampMs}\n${nonce}\n${bodySha256}`, 'utf8');
}

/** The signature in canonical base64 with padding, the one spelling the coordinator accepts. */
export function signRequest(fields: SignedRequestFields, privateKey: KeyObject): string {
  return sign(null, requestSigningText(fields), privateKey).toString('base64');
}

/** The metadata of a signed request: participant, fresh timestamp, fresh nonce and the signature. */
export function signedRequestHeaders(
  request: { readonly methodPath: string; readonly participantId: string; readonly bodySha256: string },
  privateKey: KeyObject,
  timestampMs = Date.now(),
): Record<string, string> {
  const fields = { ...request, timestampMs, nonce: newRequestNonce() };
  return {
    [signatureHeaders.participantId]: fields.participantId,
    [signatureHeaders.timestamp]: String(timestampMs),
    [signatureHeaders.nonce]: fields.nonce,
    [signatureHeaders.signature]: signRequest(fields, privateKey),
  };
}

/**
 * The 64 signature bytes of a header value; throws saying why when the value is not canonical base64
 * with padding (no missing "=", no base64url, no stray bits or characters) or not 64 bytes long.
 */
export function decodeSignatureHeader(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (!canonicalBase64.test(text) || bytes.toString('base64') !== text)
    throw new Error('the signature is not canonical base64 with padding');
  if (bytes.length !== ed25519SignatureBytes)
    throw new Error(`the signature has ${bytes.length} bytes, an Ed25519 signature has ${ed25519SignatureBytes}`);
  return bytes;
}

export function verifyRequestSignature(
  fields: SignedRequestFields,
  signature: Uint8Array,
  publicKey: KeyObject,
): boolean {
  if (signature.length !== ed25519SignatureBytes) return false;
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
