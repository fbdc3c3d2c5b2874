/**
 * The support bundle of a real site: enrolled with a coordinator that asks for mutual TLS, one dataset
 * registered. Built by `accord participant support-bundle` as IT runs it, then searched for every secret and
 * for a row of the dataset: none is there, and what support needs is.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { onnxRuntimeVersion } from '../../../../engine/runtime/execution-providers.ts';
import { createInvitation, federationPaths } from '../../../../coordinator/setup/federation-files.ts';
import { KeytarCredentialStore } from '../../../../main/participant/keychain/keytar-credential-store.ts';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import { Participation } from '../../../../main/participant/participation/participation.ts';
import packageJson from '../../../../package.json' with { type: 'json' };
import { startMutualTlsCoordinator } from '../../../coordinator/support/test-federation.ts';
import { FakeTrainer } from '../../../support/fake-trainer.ts';
import { registerSampleReviews, tempDir } from '../../../support/participant-fixtures.ts';

const accord = fileURLToPath(new URL('../../../../bin/accord.js', import.meta.url));
const service = `Accord-test-${randomUUID()}`;
const credentials = new KeytarCredentialStore(service);
afterAll(() => credentials.delete('identity.ed25519'));

/** The lines between a PEM's armour: what a leaked key would look like in any text. */
const pemBody = (pem: string) => pem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));

async function enrolledSite() {
  const { config, coordinator, address } = await startMutualTlsCoordinator('clinic');
  const home = tempDir();
  const node = openParticipantNode({ home, credentials, policy: null });
  const paths = federationPaths(config.dataDir);
  const invitation = createInvitation(config, 7, 'clinic');
  const clientKeyPem = readFileSync(join(paths.clients, 'clinic-key.pem'), 'utf8');
  const participation = await Participation.start(node, { trainer: new FakeTrainer(), polling: false });
  const federation = await participation.enrol({
    coordinatorUrl: address,
    invitation,
    caCertificatePem: readFileSync(paths.caCertificate, 'utf8'),
    clientCertificatePem: readFileSync(join(paths.clients, 'clinic.pem'), 'utf8'),
    clientKeyPem,
  });
  await participation.close();
  const dataset = await registerSampleReviews(node, home);
  // What a failed enrolment and a started UI could leave in the log: the token and the UI's URL with its secret.
  node.log.error('enrolment failed', new Error(`coordinator refused invitation ${invitation}`));
  node.log.info('UI ready', { url: 'http://127.0.0.1:4123/?token=s3cr3t-ui-token-value' });
  const identityKeyPem = (await credentials.get('identity.ed25519')) ?? '';
  node.close();
  await coordinator.stop();
  return { home, dataset, invitation, clientKeyPem, identityKeyPem, federationName: federation.name };
}

describe('accord participant support-bundle', () => {
  it('holds versions, providers, federations, datasets and a database check, and no secret or dataset value', async () => {
    const site = await enrolledSite();
    const out = join(site.home, 'bundle.json');
    const env = { ...process.env, ACCORD_HOME: site.home, ACCORD_KEYCHAIN_SERVICE: service };
    const run = await promisify(execFile)(process.execPath, [accord, 'participant', 'support-bundle', '--out', out], {
      env,
    });
    expect(run.stdout).toContain('database integrity: ok');
    expect(statSync(out).mode & 0o077).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(site.identityKeyPem).toContain('PRIVATE KEY');
    for (const secret of [...pemBody(site.identityKeyPem), ...pemBody(site.clientKeyPem), site.invitation])
      expect(text).not.toContain(secret);
    expect(text).not.toContain('s3cr3t-ui-token-value');
    expect(text).not.toContain('review number');
    expect(text).not.toContain('quite good');

    const bundle = JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(bundle.app).toMatchObject({ version: packageJson.version, nodeVersion: process.versions.node });
    expect(bundle.app.onnxRuntimeVersion).toBe(onnxRuntimeVersion);
    expect(bundle.app.executionProviders).toContainEqual(expect.objectContaining({ name: 'cpu', available: true }));
    expect(bundle.database).toMatchObject({ integrityCheck: ['ok'], ok: true });
    expect(bundle.federations).toEqual([
      expect.objectContaining({
        name: site.federationName,
        clientCertificateSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
    expect(bundle.datasets).toEqual([
      expect.objectContaining({ id: site.dataset.id, sha256: site.dataset.sha256, rows: site.dataset.stats.rows }),
    ]);
    expect(bundle.settings).toMatchObject({ computeDevice: 'auto' });
    expect(bundle.audit).toMatchObject({ ok: true });
    const messages = (bundle.log as { message?: string; url?: string }[]).map((line) => line.message);
    expect(messages).toEqual(expect.arrayContaining(['enrolment failed', 'UI ready']));
    expect(text).toContain('http://127.0.0.1:4123/?token=[redacted]');
  });

  it('asks for --out', async () => {
    const failed = promisify(execFile)(process.execPath, [accord, 'participant', 'support-bundle'], {
      env: { ...process.env, ACCORD_HOME: tempDir() },
    });
    await expect(failed).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--out') });
  });
});
