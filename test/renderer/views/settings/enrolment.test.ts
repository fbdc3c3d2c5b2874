import { afterEach, describe, expect, it } from 'vitest';
import { EnrolmentController } from '../../../../renderer/src/views/settings/enrolment.svelte.ts';
import { openParticipantNode, type ParticipantNode } from '../../../../main/participant/participant-node.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';
import { dispatchedApi } from '../../../support/renderer-api.ts';

let node: ParticipantNode | undefined;
afterEach(() => node?.close());

function controller(): EnrolmentController {
  node = openParticipantNode({ home: tempDir('accord-ui-enrol-') });
  return new EnrolmentController(dispatchedApi(node));
}

describe('EnrolmentController', () => {
  it('says what is missing before asking the participant', async () => {
    const enrolment = controller();
    expect(await enrolment.enrol()).toBeUndefined();
    expect(enrolment.error).toContain("coordinator's address");
    enrolment.coordinatorUrl = 'coordinator.example.org:7443';
    enrolment.invitation = 'short';
    await enrolment.enrol();
    expect(enrolment.error).toContain('invitation token');
    enrolment.invitation = 'a-long-enough-token';
    enrolment.caCertificatePem = 'not a certificate';
    await enrolment.enrol();
    expect(enrolment.error).toContain('CA certificate');
    enrolment.caCertificatePem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    enrolment.clientKeyPem = '-----BEGIN PRIVATE KEY-----\nMC4C\n-----END PRIVATE KEY-----';
    await enrolment.enrol();
    expect(enrolment.error).toContain('client certificate (PEM) that goes with the client key');
    enrolment.clientCertificatePem = enrolment.caCertificatePem;
    enrolment.clientKeyPem = 'not a key';
    await enrolment.enrol();
    expect(enrolment.error).toContain("client certificate's private key");
  });

  it("passes on the participant's refusal when this node takes part in no federation", async () => {
    const enrolment = controller();
    Object.assign(enrolment, {
      coordinatorUrl: 'coordinator.example.org:7443',
      invitation: 'a-long-enough-token',
      caCertificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    });
    expect(await enrolment.enrol()).toBeUndefined();
    expect(enrolment.error).toContain('does not take part in federations here');
    await enrolment.load();
    expect(enrolment.federations).toEqual([]);
  });
});
