import * as grpc from '@grpc/grpc-js';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';
import type { Coordinator } from '../../../coordinator/coordinator.ts';
import { createInvitation } from '../../../coordinator/setup/federation-files.ts';
import type { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';
import { signatureHeaders } from '../../../protocol/request-signature.ts';
import { RawRequests } from '../support/raw-requests.ts';
import { participantLink, startCoordinator, writeTestFederation } from '../support/test-federation.ts';

let config: CoordinatorConfig;
let coordinator: Coordinator;
let link: GrpcFederationLink;
let raw: RawRequests;

beforeAll(async () => {
  config = await writeTestFederation({ participantsPerRound: { min: 1, max: 3 } });
  let address: string;
  ({ coordinator, address } = await startCoordinator(config));
  const key = generateKeyPairSync('ed25519').privateKey;
  link = participantLink(config, address, {
    name: 'signer',
    privateKeyPem: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
  });
  await link.enrol(createInvitation(config, 1), 'signer');
  raw = new RawRequests(link, key);
});

afterAll(async () => {
  link.close();
  await coordinator.stop();
});

/** A request that went through once, and its signature header re-spelt by `respell`. */
async function replayRespelt(respell: (signature: string) => string) {
  const { path, body, metadata } = raw.prepare('listReceipts', {});
  expect((await raw.sendPrepared(path, body, metadata)).code).toBe(grpc.status.OK);
  const signature = metadata.get(signatureHeaders.signature)[0] as string;
  const respelt = respell(signature);
  const again = metadata.clone();
  again.set(signatureHeaders.signature, respelt);
  return raw.sendPrepared(path, body, again);
}

describe('signed requests: one signature, one spelling, one use', () => {
  it('refuses a used signature with its base64 padding stripped', async () => {
    const answer = await replayRespelt((signature) => {
      expect(signature).toMatch(/=$/); // 64 bytes always spell with "==" at the end
      return signature.replace(/=+$/, '');
    });
    expect(answer).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      details: expect.stringMatching(/accord-signature is refused: the signature is not canonical base64 with padding/),
    });
  });

  it('refuses a used signature re-spelt as base64url', async () => {
    const answer = await replayRespelt((signature) => Buffer.from(signature, 'base64').toString('base64url'));
    expect(answer).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      details: expect.stringMatching(/not canonical base64 with padding/),
    });
  });

  it('refuses the same spelling a second time as a replay', async () => {
    const answer = await replayRespelt((signature) => signature);
    expect(answer).toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: expect.stringMatching(/replayed/) });
  });

  it('accepts two identical requests signed in the same millisecond', async () => {
    const timestampMs = Date.now();
    const first = raw.prepare('listReceipts', {}, { timestampMs });
    const second = raw.prepare('listReceipts', {}, { timestampMs });
    expect(second.body).toEqual(first.body);
    expect(second.metadata.get(signatureHeaders.timestamp)).toEqual(first.metadata.get(signatureHeaders.timestamp));
    expect((await raw.sendPrepared(first.path, first.body, first.metadata)).code).toBe(grpc.status.OK);
    expect((await raw.sendPrepared(second.path, second.body, second.metadata)).code).toBe(grpc.status.OK);
  });

  it('refuses a request without a nonce, or with a nonce of the wrong form', async () => {
    const { path, body, metadata } = raw.prepare('listReceipts', {});
    const missing = metadata.clone();
    missing.remove(signatureHeaders.nonce);
    expect(await raw.sendPrepared(path, body, missing)).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      details: expect.stringMatching(/missing accord-nonce/),
    });
    const short = metadata.clone();
    short.set(signatureHeaders.nonce, 'abc');
    expect(await raw.sendPrepared(path, body, short)).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      details: expect.stringMatching(/accord-nonce must be 32 lowercase hex digits/),
    });
  });
});
