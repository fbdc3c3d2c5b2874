/** The Settings enrolment form joins a coordinator that asks for mutual TLS, with the client certificate pasted in. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createInvitation, federationPaths } from '../../../../coordinator/setup/federation-files.ts';
import { clientKeyAccount } from '../../../../main/participant/enrolment/client-certificate.ts';
import { KeytarCredentialStore } from '../../../../main/participant/keychain/keytar-credential-store.ts';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import { Participation } from '../../../../main/participant/participation/participation.ts';
import { EnrolmentController } from '../../../../renderer/src/views/settings/enrolment.svelte.ts';
import { startMutualTlsCoordinator } from '../../../coordinator/support/test-federation.ts';
import { FakeTrainer } from '../../../support/fake-trainer.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';
import { dispatchedApi } from '../../../support/renderer-api.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the enrolment form with mutual TLS', () => {
  it('enrols with the pasted client certificate and key, and forgets the key field afterwards', async () => {
    const { config, coordinator, address } = await startMutualTlsCoordinator('clinic');
    cleanups.push(() => coordinator.stop());
    const credentials = new KeytarCredentialStore(`Accord-test-${randomUUID()}`);
    cleanups.push(() => credentials.delete('identity.ed25519'));
    cleanups.push(() => credentials.delete(clientKeyAccount(coordinator.context.federationId)));
    const node = openParticipantNode({ home: tempDir('accord-ui-mtls-'), credentials });
    cleanups.push(() => node.close());
    const participation = await Participation.start(node, { trainer: new FakeTrainer(), pollWaitSeconds: 1 });
    cleanups.push(() => participation.close());

    const paths = federationPaths(config.dataDir);
    const form = new EnrolmentController(dispatchedApi(node, participation));
    Object.assign(form, {
      coordinatorUrl: address,
      invitation: createInvitation(config, 7, 'clinic'),
      caCertificatePem: readFileSync(paths.caCertificate, 'utf8'),
      clientCertificatePem: readFileSync(join(paths.clients, 'clinic.pem'), 'utf8'),
      clientKeyPem: readFileSync(join(paths.clients, 'clinic-key.pem'), 'utf8'),
    });
    const federation = await form.enrol();
    expect(form.error).toBeUndefined();
    expect(federation?.id).toBe(coordinator.context.federationId);
    expect(form.clientKeyPem).toBe('');
    expect(form.federations.map((f) => f.id)).toEqual([coordinator.context.federationId]);
  });
});
