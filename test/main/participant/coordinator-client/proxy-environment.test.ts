/**
 * Coordinator connections through an institution's HTTPS proxy: a real CONNECT proxy on loopback in front of a
 * real coordinator. The managed policy's proxy is used for enrolment; a proxy that refuses the tunnel stops the
 * connection (so the first case really went through it); no_proxy hosts go direct.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createInvitation, federationPaths } from '../../../../coordinator/setup/federation-files.ts';
import { applyProxyEnvironment } from '../../../../main/participant/coordinator-client/proxy-environment.ts';
import { KeytarCredentialStore } from '../../../../main/participant/keychain/keytar-credential-store.ts';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import { Participation } from '../../../../main/participant/participation/participation.ts';
import { parseManagedPolicy } from '../../../../main/participant/policy/managed-policy-file.ts';
import {
  participantLink,
  startCoordinator,
  writeTestFederation,
} from '../../../coordinator/support/test-federation.ts';
import { FakeTrainer } from '../../../support/fake-trainer.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

const proxyVariables = ['grpc_proxy', 'no_grpc_proxy', 'https_proxy', 'no_proxy', 'HTTPS_PROXY', 'NO_PROXY'];
const saved = Object.fromEntries(proxyVariables.map((name) => [name, process.env[name]]));
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const name of proxyVariables)
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
});
const credentials = new KeytarCredentialStore(`Accord-test-${randomUUID()}`);
afterAll(() => credentials.delete('identity.ed25519'));

/** An HTTP proxy that tunnels CONNECT (or refuses it with 403) and records every target asked for. */
async function connectProxy(refuse = false): Promise<{ url: string; targets: string[] }> {
  const targets: string[] = [];
  const server: Server = createServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (request, client, head) => {
    targets.push(request.url ?? '');
    if (refuse) return client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const [host, port] = (request.url ?? '').split(/:(?=\d+$)/);
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).on('error', () => upstream.destroy());
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  cleanups.push(() => new Promise((done) => server.close(done)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, targets };
}

async function coordinator() {
  const config = await writeTestFederation();
  const started = await startCoordinator(config);
  cleanups.push(() => started.coordinator.stop());
  return { config, ...started };
}

describe('the coordinator connection through an HTTPS proxy', () => {
  it("enrols through the managed policy's proxy, which sees only the coordinator's address", async () => {
    const { config, address } = await coordinator();
    const proxy = await connectProxy();
    const policy = parseManagedPolicy('/etc/accord/policy.json', JSON.stringify({ proxy: { url: proxy.url } }));
    const node = openParticipantNode({ home: tempDir(), credentials, policy });
    cleanups.push(() => node.close());
    const participation = await Participation.start(node, { trainer: new FakeTrainer(), polling: false });
    cleanups.push(() => participation.close());
    const federation = await participation.enrol({
      coordinatorUrl: address,
      invitation: createInvitation(config, 7, 'site'),
      caCertificatePem: readFileSync(federationPaths(config.dataDir).caCertificate, 'utf8'),
    });
    expect(federation.coordinator).toBe(address);
    expect(new Set(proxy.targets)).toEqual(new Set([address]));
  });

  it('fails when the proxy refuses the tunnel, and goes direct for a no_proxy host', async () => {
    const { config, address } = await coordinator();
    const proxy = await connectProxy(true);
    const retry = { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 };
    applyProxyEnvironment({ url: proxy.url });
    const refused = participantLink(config, address, { name: 'refused', retry });
    cleanups.push(() => refused.close());
    await expect(refused.hello()).rejects.toThrow();
    expect(proxy.targets).toContain(address);
    const before = proxy.targets.length;
    applyProxyEnvironment({ url: proxy.url, noProxy: ['127.0.0.1'] });
    const direct = participantLink(config, address, { name: 'direct', retry });
    cleanups.push(() => direct.close());
    expect((await direct.hello()).federationName).toBe('Test consortium');
    expect(proxy.targets.length).toBe(before);
  });

  it('copies HTTPS_PROXY and NO_PROXY to the names gRPC reads, without overriding lower-case ones', () => {
    const env: Record<string, string | undefined> = { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '.internal' };
    applyProxyEnvironment(undefined, env);
    expect(env).toMatchObject({ https_proxy: 'http://p:3128', no_proxy: '.internal' });
    const set: Record<string, string | undefined> = { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' };
    applyProxyEnvironment(undefined, set);
    expect(set.https_proxy).toBe('http://lower:2');
  });
});
