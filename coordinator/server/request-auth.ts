/**
 * Checks a signed request: known participant, fresh timestamp, valid Ed25519 signature over method,
 * participant, timestamp and body hash, and a signature never seen before (replay).
 */
import type { Metadata } from '@grpc/grpc-js';
import {
  ed25519PublicKeyFromRaw,
  maxClockSkewMs,
  signatureHeaders,
  verifyRequestSignature,
} from '../../protocol/request-signature.ts';
import type { CoordinatorStore } from '../store/coordinator-store.ts';
import { unauthenticated } from './federation-error.ts';

function header(metadata: Metadata, name: string): string {
  const value = metadata.get(name)[0];
  if (value === undefined || value === '') throw unauthenticated(`the request is not signed: missing ${name}`);
  return typeof value === 'string' ? value : value.toString('utf8');
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
  const timestampText = header(metadata, signatureHeaders.timestamp);
  const signature = header(metadata, signatureHeaders.signature);
  const timestampMs = Number(timestampText);
  if (!/^\d{1,15}$/.test(timestampText))
    throw unauthenticated(`${signatureHeaders.timestamp} "${timestampText}" is not milliseconds since the epoch`);
  const skew = Math.abs(now - timestampMs);
  if (skew > maxClockSkewMs) {
    throw unauthenticated(
      `the request's timestamp is ${Math.round(skew / 1000)} s away from the coordinator's clock (limit ${maxClockSkewMs / 1000} s)`,
    );
  }
  const participant = store.participant(participantId);
  if (!participant) throw unauthenticated(`participant "${participantId}" is not enrolled in this federation`);
  const fields = { methodPath, participantId, timestampMs, bodySha256 };
  if (!verifyRequestSignature(fields, signature, ed25519PublicKeyFromRaw(participant.publicKey))) {
    throw unauthenticated(`the request's signature does not verify with participant "${participantId}"'s key`);
  }
  if (!store.rememberSignature(signature, timestampMs + maxClockSkewMs, now)) {
    throw unauthenticated('the request was replayed: this signature has already been used');
  }
  return participantId;
}
