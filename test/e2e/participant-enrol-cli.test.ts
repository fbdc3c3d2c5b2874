/**
 * An IT team's enrolment from a shell, end to end: `accord coordinator init | certs | invite | run` in a fresh
 * folder (TLS on loopback), then `accord participant enrol` with the printed token and CA file, its identity key
 * in the real OS keychain. The enrolment shows in `accord participant federations`, in the coordinator's store
 * and in the participant's verified audit log; a used or unknown invitation, a missing CA file and an
 * unreachable coordinator each fail with one clear line.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAnchorAccount } from '../../main/participant/audit/audit-anchor.ts';
import { KeytarCredentialStore } from '../../main/participant/keychain/keytar-credential-store.ts';
import { within } from '../support/wait-until.ts';

const accordBin = fileURLToPath(new URL('../../bin/accord.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'accord-enrol-cli-'));
/** Each site its own keychain service, as separate machines would have their own keychains. */
const runId = randomUUID();
const serviceOf = (home: string) => `Accord-enrol-cli-${runId}-${basename(home)}`;
const homes: string[] = [];
let coordinator: ChildProcess | undefined;
let address = '';

interface Answer {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function accord(args: string[], home = dir): Promise<Answer> {
  const env = { ...process.env, ACCORD_HOME: home, ACCORD_KEYCHAIN_SERVICE: serviceOf(home) };
  return new Promise((resolve) => {
    execFile(process.execPath, [accordBin, ...args], { cwd: dir, env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

function newHome(): string {
  const home = join(dir, `site-${homes.length + 1}`);
  mkdirSync(home);
  homes.push(home);
  return home;
}

async function invitation(): Promise<string> {
  const { stdout } = await accord(['coordinator', 'invite', '--config', 'fed/coordinator.json', '--note', 'test']);
  return stdout.trim();
}

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  const config = join(dir, 'fed', 'coordinator.json');
  expect((await accord(['coordinator', 'init', '--config', 'fed/coordinator.json'])).code).toBe(0);
  const example = JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
  writeFileSync(config, JSON.stringify({ ...example, listen: { host: '127.0.0.1', port: 0 } }));
  expect((await accord(['coordinator', 'init', '--config', 'fed/coordinator.json'])).code).toBe(0);
  expect((await accord(['coordinator', 'certs', '--config', 'fed/coordinator.json'])).code).toBe(0);
  coordinator = spawn(process.execPath, [accordBin, 'coordinator', 'run', '--config', 'fed/coordinator.json'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let printed = '';
  address = await within(
    new Promise<string>((resolve) =>
      coordinator!.stdout!.on('data', (chunk: Buffer) => {
        printed += chunk.toString('utf8');
        const match = /listening on (127\.0\.0\.1:\d+)/.exec(printed);
        if (match) resolve(match[1]!);
      }),
    ),
    'the coordinator printing its address',
    60_000,
  );
});

afterAll(async () => {
  if (coordinator && coordinator.exitCode === null) {
    const exited = new Promise((resolve) => coordinator!.once('exit', resolve));
    coordinator.kill('SIGTERM');
    await exited;
  }
  for (const home of homes) {
    const keychain = new KeytarCredentialStore(serviceOf(home));
    await keychain.delete('identity.ed25519');
    await keychain.delete(auditAnchorAccount(home));
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('accord participant enrol against a real coordinator', () => {
  it('enrols, and the federation shows in the CLI, the coordinator store and the audit log', async () => {
    const home = newHome();
    const token = await invitation();
    const ca = 'fed/data/certs/ca.pem';
    const enrolled = await accord(
      ['participant', 'enrol', '--coordinator', address, '--invitation', token, '--ca', ca, '--name', 'Site A'],
      home,
    );
    expect(enrolled.code, enrolled.stderr).toBe(0);
    const participantId = /participant id ([0-9a-f-]{36})/.exec(enrolled.stdout)?.[1];
    expect(enrolled.stdout).toMatch(
      /^enrolled in federation "Example consortium" \([0-9a-f-]{36}\) at 127\.0\.0\.1:\d+\n/,
    );

    const listed = JSON.parse((await accord(['participant', 'federations', '--json'], home)).stdout) as unknown[];
    expect(listed).toEqual([
      expect.objectContaining({ name: 'Example consortium', coordinator: address, participantId }),
    ]);
    const store = new Database(join(dir, 'fed', 'data', 'coordinator.sqlite'), { readonly: true });
    const rows = store.prepare('SELECT id, display_name AS name FROM participants').all();
    store.close();
    expect(rows).toEqual([{ id: participantId, name: 'Site A' }]);
    const audit = await accord(['participant', 'audit', 'verify'], home);
    expect(audit).toMatchObject({ code: 0 });
    const exported = join(home, 'audit.json');
    expect((await accord(['participant', 'audit', 'export', '--json', exported], home)).code).toBe(0);
    const entries = (JSON.parse(readFileSync(exported, 'utf8')) as { entries: { kind: string }[] }).entries;
    expect(entries.map((entry) => entry.kind)).toContain('enrolment');

    const again = await accord(
      ['participant', 'enrol', '--coordinator', address, '--invitation', token, '--ca', ca],
      newHome(),
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      `accord participant enrol: the coordinator at ${address} refused the enrolment: the invitation token has already been used by another participant`,
    );
  });

  it('says plainly when the invitation is unknown, the CA file missing or the coordinator unreachable', async () => {
    const home = newHome();
    const ca = 'fed/data/certs/ca.pem';
    const enrol = (...args: string[]) => accord(['participant', 'enrol', ...args], home);
    const unknown = await enrol('--coordinator', address, '--invitation', `accord1_${'x'.repeat(43)}`, '--ca', ca);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('refused the enrolment: the invitation token is not one this coordinator issued');
    const noCa = await enrol('--coordinator', address, '--invitation', await invitation(), '--ca', 'nowhere/ca.pem');
    expect(noCa).toMatchObject({ code: 1, stdout: '' });
    expect(noCa.stderr).toBe(
      "accord participant enrol: the CA certificate nowhere/ca.pem does not exist (the coordinator's data/certs/ca.pem)\n",
    );
    const port = await closedPort();
    const away = await enrol('--coordinator', `127.0.0.1:${port}`, '--invitation', await invitation(), '--ca', ca);
    expect(away.code).toBe(1);
    expect(away.stderr).toMatch(new RegExp(`cannot reach the coordinator at 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    expect(JSON.parse((await accord(['participant', 'federations', '--json'], home)).stdout)).toEqual([]);
  });
});
