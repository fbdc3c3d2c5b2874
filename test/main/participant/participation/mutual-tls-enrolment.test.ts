/**
 * Enrolment with a coordinator that asks for mutual TLS: the site presents the client certificate the
 * federation's CA issued it; the certificate is kept with the federation and its key in the OS keychain, so a
 * restarted node reconnects with them. Without a certificate the coordinator does not let the site in.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CoordinatorConfig } from '../../../../coordinator/config/coordinator-config.ts';
import { createInvitation, federationPaths } from '../../../../coordinator/setup/federation-files.ts';
import { clientKeyAccount } from '../../../../main/participant/enrolment/client-certificate.ts';
import { KeytarCredentialStore } from '../../../../main/participant/keychain/keytar-credential-store.ts';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import type { ParticipantNode } from '../../../../main/participant/participant-node.ts';
import { Participation } from '../../../../main/participant/participation/participation.ts';
import { EnrolmentRequest } from '../../../../preload/federation-schemas.ts';
import { startMutualTlsCoordinator } from '../../../coordinator/support/test-federation.ts';
import { FakeTrainer } from '../../../support/fake-trainer.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';
import { waitUntil } from '../../../support/wait-until.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const credentials = new KeytarCredentialStore(`Accord-test-${randomUUID()}`);
afterAll(() => credentials.delete('identity.ed25519'));

async function mutualTlsCoordinator() {
  const started = await startMutualTlsCoordinator('clinic', { participantsPerRound: { min: 1, max: 1 } });
  cleanups.push(() => started.coordinator.stop());
  return started;
}

/** A site's node on its folder and this test's keychain entries; `home` again is the node after a restart. */
function participantNode(home = tempDir()): ParticipantNode {
  const node = openParticipantNode({ home, credentials });
  cleanups.push(() => node.close());
  return node;
}

async function startParticipation(node: ParticipantNode): Promise<Participation> {
  const participation = await Participation.start(node, { trainer: new FakeTrainer(), pollWaitSeconds: 1 });
  cleanups.push(() => participation.close());
  return participation;
}

function enrolment(config: CoordinatorConfig, address: string, withClientCertificate: boolean) {
  const paths = federationPaths(config.dataDir);
  return {
    coordinatorUrl: address,
    invitation: createInvitation(config, 7, 'clinic'),
    caCertificatePem: readFileSync(paths.caCertificate, 'utf8'),
    ...(withClientCertificate
      ? {
          clientCertificatePem: readFileSync(join(paths.clients, 'clinic.pem'), 'utf8'),
          clientKeyPem: readFileSync(join(paths.clients, 'clinic-key.pem'), 'utf8'),
        }
      : {}),
  };
}

describe('enrolment with mutual TLS', () => {
  it('is refused without a client certificate, and nothing is saved', async () => {
    const { config, address } = await mutualTlsCoordinator();
    const node = participantNode();
    const participation = await startParticipation(node);
    await expect(participation.enrol(enrolment(config, address, false))).rejects.toThrow();
    expect(node.federations.list()).toEqual([]);
  });

  it('joins with the client certificate, keeps its key out of the database, and reconnects after a restart', async () => {
    const { config, coordinator, address } = await mutualTlsCoordinator();
    const home = tempDir();
    const node = openParticipantNode({ home, credentials });
    const request = enrolment(config, address, true);
    const first = await Participation.start(node, { trainer: new FakeTrainer(), pollWaitSeconds: 1 });
    const view = await first.enrol(request);
    const federationId = coordinator.context.federationId;
    cleanups.push(() => credentials.delete(clientKeyAccount(federationId)));
    expect(view.id).toBe(federationId);
    expect(node.federations.get(federationId)?.clientCertificatePem).toBe(request.clientCertificatePem);
    const stored = node.database.db.prepare('SELECT * FROM federations').all();
    expect(JSON.stringify(stored)).not.toContain('PRIVATE KEY');
    await first.close();
    node.close();

    const restarted = await startParticipation(participantNode(home));
    await waitUntil(
      () => restarted.view(federationId).connection.state === 'connected',
      'the restarted node reconnecting with its client certificate',
    );
  });

  it('takes a client certificate only with its key', () => {
    const request = {
      coordinatorUrl: 'c:1',
      invitation: 'accord1_abcdefgh',
      caCertificatePem: '-----BEGIN CERTIFICATE-----',
    };
    const lone = EnrolmentRequest.safeParse({ ...request, clientCertificatePem: '-----BEGIN CERTIFICATE-----' });
    expect(lone.success).toBe(false);
    expect(lone.error?.issues[0]?.message).toBe('a client certificate and its private key go together');
  });
});
