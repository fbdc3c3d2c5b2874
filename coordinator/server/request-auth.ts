/**
 * Checks a signed request: known participant, fresh timestamp, valid Ed25519 signature over method,
 * participant, timestamp, nonce and body hash, and a signature never seen before (replay). The replay
 * cache holds the signature's bytes, and the header must be their one canonical spelling, so re-encoding
 * a used signature (padding stripped, base64url) is refused rather than taken for a new one.
 */
import type { Metadata } from '@grpc/grpc-js';
import {
  decodeSignatureHeader,
  ed25519PublicKeyFromRaw,
  maxClockSkewMs,
  requestNoncePattern,
  signatureHeaders,
  verifyRequestSignature,
} from '../../protocol/request-signature.ts';
import type { CoordinatorStore } from '../store/coordinator-store.ts';
import { unauthenticated } from './federation-error.ts';

function header(metadata: Metadata, name: string): string {
  const values = metadata.get(name);
  if (values.length > 1) throw unauthenticated(`the request carries ${name} ${values.length} times`);
  const value = values[0];
  if (value === undefined || value === '') throw unauthenticated(`the request is not signed: missing ${name}`);
  return typeof value === 'string' ? value : value.toString('utf8');
}

function timestampOf(metadata: Metadata, now: number): number {
  const timestampText = header(metadata, signatureHeaders.timestamp);
  if (!/^\d{1,15}$/.test(timestampText))
    throw unauthenticated(`${signatureHeaders.timestamp} "${timestampText}" is not milliseconds since the epoch`);
  const timestampMs = Number(timestampText);
  const skew = Math.abs(now - timestampMs);
  if (skew > maxClockSkewMs) {
    throw unauthenticated(
      `the request's timestamp is ${Math.round(skew / 1000)} s away from the coordinator's clock (limit ${maxClockSkewMs / 1000} s)`,
    );
  }
  return timestampMs;
}

function signatureOf(metadata: Metadata): Buffer {
  try {
    return decodeSignatureHeader(header(metadata, signatureHeaders.signature));
  } catch (error) {
    throw unauthenticated(`${signatureHeaders.signature} is refused: ${(error as Error).message}`);
  }
}

/** Returns the authenticated participant id, or throws UNAUTHENTICATED naming what failed. */
export function authenticateRequest(
  store: CoordinatorStore,
  methodPath: string,
  metadata: Metadata,
  bodySha256: string,
  now = Date.now(),
): string {
  const participantId = header(metadata, signatureHeaders.participantId);
  const timestampMs = timestampOf(metadata, now);
  const nonce = header(metadata, signatureHeaders.nonce);
  if (!requestNoncePattern.test(nonce))
    throw unauthenticated(`${signatureHeaders.nonce} must be 32 lowercase hex digits (16 random bytes)`);
  const signature = signatureOf(metadata);
  const participant = store.participant(participantId);
  if (!participant) throw unauthenticated(`participant "${participantId}" is not enrolled in this federation`);
  const fields = { methodPath, participantId, timestampMs, nonce, bodySha256 };
  if (!verifyRequestSignature(fields, signature, ed25519PublicKeyFromRaw(participant.publicKey))) {
    throw unauthenticated(`the request's signature does not verify with participant "${participantId}"'s key`);
  }
  if (!store.rememberSignature(signature.toString('hex'), timestampMs + maxClockSkewMs, now)) {
    throw unauthenticated('the request was replayed: this signature has already been used');
  }
  return participantId;
}
