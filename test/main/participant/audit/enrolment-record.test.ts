import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recordEnrolment } from '../../../../main/participant/audit/enrolment-record.ts';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

describe('recordEnrolment', () => {
  it('audits the coordinator, the participant id and the fingerprint of the public key, never the private key', async () => {
    const node = openParticipantNode({ home: tempDir() });
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const entry = recordEnrolment(node.audit, {
      federationId: 'fed-a',
      coordinator: 'c.example:7443',
      participantId: 'p-1',
      publicKeyPem,
    });
    const der = publicKey.export({ type: 'spki', format: 'der' });
    expect(entry.data).toEqual({
      federationId: 'fed-a',
      coordinator: 'c.example:7443',
      participantId: 'p-1',
      publicKeySha256: createHash('sha256').update(der).digest('hex'),
    });
    const secret = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    expect(JSON.stringify(node.audit.entries())).not.toContain(secret.slice(-20));
    expect((await node.verifyAudit()).ok).toBe(true);
    node.close();
  });
});
