/**
 * `accord participant enrol --federation NAME` on a machine whose managed policy presets a federation with
 * mutual TLS: the site enrols with only the invitation token, against a real coordinator.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createInvitation, federationPaths } from '../../../coordinator/setup/federation-files.ts';
import { KeytarCredentialStore } from '../../../main/participant/keychain/keytar-credential-store.ts';
import { startMutualTlsCoordinator } from '../../coordinator/support/test-federation.ts';
import { tempDir } from '../../support/participant-fixtures.ts';

const accord = fileURLToPath(new URL('../../../bin/accord.js', import.meta.url));
const service = `Accord-test-${randomUUID()}`;
afterAll(() => new KeytarCredentialStore(service).delete('identity.ed25519'));
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function enrol(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [accord, 'participant', 'enrol', ...args], {
      env: { ...process.env, ACCORD_KEYCHAIN_SERVICE: service, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('accord participant enrol --federation', () => {
  it("enrols with the preset's address, CA and client certificate, given only the invitation", async () => {
    const { config, coordinator, address } = await startMutualTlsCoordinator('clinic');
    stops.push(() => coordinator.stop());
    const paths = federationPaths(config.dataDir);
    const home = tempDir();
    const policyFile = join(home, 'policy.json');
    const preset = {
      name: 'Oncology',
      coordinator: address,
      caFile: paths.caCertificate,
      clientCertificate: {
        certFile: join(paths.clients, 'clinic.pem'),
        keyFile: join(paths.clients, 'clinic-key.pem'),
      },
    };
    writeFileSync(policyFile, JSON.stringify({ federations: [preset], onlyPresetFederations: true }));
    const env = { ACCORD_HOME: home, ACCORD_POLICY_FILE: policyFile };
    const invitation = createInvitation(config, 7, 'clinic');
    const unknown = await enrol(env, '--federation', 'Cardiology', '--invitation', invitation);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      `the managed policy ${policyFile} has no federation "Cardiology" (it has "Oncology")`,
    );
    const mixed = await enrol(env, '--federation', 'Oncology', '--ca', paths.caCertificate, '--invitation', invitation);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('drop --ca');
    const enrolled = await enrol(env, '--federation', 'Oncology', '--invitation', invitation);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    expect(enrolled.stdout).toContain(`(${coordinator.context.federationId}) at ${address}`);
  });
});
