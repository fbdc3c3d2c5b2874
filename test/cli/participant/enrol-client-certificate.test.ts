/** `accord participant enrol`'s mutual-TLS options are checked before anything is opened or sent. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const accordBin = fileURLToPath(new URL('../../../bin/accord.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'accord-enrol-client-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const home = join(dir, 'home');
const ca = join(dir, 'ca.pem');
writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

function enrol(...extra: string[]) {
  const args = ['participant', 'enrol', '--coordinator', '127.0.0.1:1', '--invitation', 'accord1_abcdefgh'];
  return spawnSync(process.execPath, [accordBin, ...args, '--ca', ca, ...extra], {
    encoding: 'utf8',
    env: { ...process.env, ACCORD_HOME: home },
  });
}

describe('accord participant enrol --client-cert / --client-key', () => {
  it('takes the certificate only with its key, as a usage error', () => {
    const answer = enrol('--client-cert', ca);
    expect(answer.status).toBe(2);
    expect(answer.stderr).toContain('--client-cert and --client-key go together');
  });

  it('names a missing key file and a key file that holds no private key', () => {
    const missing = enrol('--client-cert', ca, '--client-key', join(dir, 'absent-key.pem'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`the client key ${join(dir, 'absent-key.pem')} does not exist`);
    const notAKey = enrol('--client-cert', ca, '--client-key', ca);
    expect(notAKey.status).toBe(1);
    expect(notAKey.stderr).toContain(`${ca} is not a PEM key`);
    expect(() => readdirSync(home)).toThrow(); // refused before the node's folder was created
  });
});
