import * as grpc from '@grpc/grpc-js';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';
import type { Coordinator } from '../../../coordinator/coordinator.ts';
import { createInvitation } from '../../../coordinator/setup/federation-files.ts';
import type { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';
import { RawRequests } from '../support/raw-requests.ts';
import { participantLink, startCoordinator, writeTestFederation } from '../support/test-federation.ts';

const enrolBurst = 3;
let config: CoordinatorConfig;
let coordinator: Coordinator;
let link: GrpcFederationLink;
let raw: RawRequests;

beforeAll(async () => {
  config = await writeTestFederation({ transport: { enrolBurst, enrolRefillSeconds: 600 } });
  let address: string;
  ({ coordinator, address } = await startCoordinator(config));
  const key = generateKeyPairSync('ed25519').privateKey;
  link = participantLink(config, address, { name: 'guesser' });
  raw = new RawRequests(link, key);
});

afterAll(async () => {
  link.close();
  await coordinator.stop();
});

describe('Enrol', () => {
  it('answers an address that keeps trying RESOURCE_EXHAUSTED once its burst is spent, even with a good token', async () => {
    const publicKey = new Uint8Array(32).fill(9);
    for (let attempt = 0; attempt < enrolBurst; attempt++) {
      const guess = { invitationToken: `accord1_guess${attempt}`, publicKey };
      expect((await raw.send('enrol', guess, { signingKey: null })).code).toBe(grpc.status.UNAUTHENTICATED);
    }
    const valid = { invitationToken: createInvitation(config, 1), publicKey };
    expect(await raw.send('enrol', valid, { signingKey: null })).toMatchObject({
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: expect.stringMatching(/too many enrolment attempts from 127\.0\.0\.1: 3 at once, then one every 600 s/),
    });
    expect(coordinator.context.store.participantCount()).toBe(0);
  });
});
