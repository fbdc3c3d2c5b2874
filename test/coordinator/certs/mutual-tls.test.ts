import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createInvitation, federationPaths, writeCertificates } from '../../../coordinator/setup/federation-files.ts';
import { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';
import { FileUploadJournal } from '../../../main/participant/coordinator-client/upload-journal.ts';
import { startCoordinator, writeTestFederation } from '../support/test-federation.ts';

describe("the coordinator's own CA and mutual TLS", () => {
  it('issues a server certificate for the dialled address and admits only clients with a certificate from its CA', async () => {
    const config = await writeTestFederation({ tls: { mutual: true } });
    await writeCertificates(config, ['127.0.0.1', 'localhost'], 'hospital-a');
    const paths = federationPaths(config.dataDir);
    const ca = new X509Certificate(readFileSync(paths.caCertificate));
    const server = new X509Certificate(readFileSync(paths.serverCertificate));
    expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(ca.ca).toBe(true);

    const { coordinator, address } = await startCoordinator(config);
    const link = (client: boolean) =>
      new GrpcFederationLink({
        address,
        tls: {
          caPem: readFileSync(paths.caCertificate),
          ...(client
            ? {
                certificatePem: readFileSync(join(paths.clients, 'hospital-a.pem')),
                privateKeyPem: readFileSync(join(paths.clients, 'hospital-a-key.pem')),
              }
            : {}),
        },
        privateKey: generateKeyPairSync('ed25519').privateKey,
        journal: new FileUploadJournal(join(config.dataDir, '..', 'journal.json')),
        modelDir: join(config.dataDir, '..', 'models'),
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      });
    try {
      const anonymous = link(false);
      await expect(anonymous.enrol(createInvitation(config, 1), 'anonymous')).rejects.toMatchObject({ code: 14 });
      anonymous.close();
      const admitted = link(true);
      expect(await admitted.enrol(createInvitation(config, 1), 'hospital-a')).toMatch(/^[0-9a-f-]{36}$/);
      admitted.close();
    } finally {
      await coordinator.stop();
    }
  });
});
