/**
 * The audit entry of an enrolment: which coordinator this participant joined, under which id and with which
 * public key (its sha256 fingerprint; the private key never leaves the keychain). The federation client calls it.
 */
import { createHash, createPublicKey } from 'node:crypto';
import type { AuditEntry, AuditLog } from './audit-log.ts';

export interface Enrolment {
  readonly federationId: string;
  readonly coordinator: string;
  readonly participantId: string;
  readonly publicKeyPem: string;
}

export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

export function recordEnrolment(audit: AuditLog, enrolment: Enrolment): AuditEntry {
  const { federationId, coordinator, participantId, publicKeyPem } = enrolment;
  return audit.append('enrolment', {
    federationId,
    coordinator,
    participantId,
    publicKeySha256: publicKeyFingerprint(publicKeyPem),
  });
}
