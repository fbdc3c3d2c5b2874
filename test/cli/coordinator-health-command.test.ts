/** `accord coordinator health` against real coordinators on loopback, as a service manager or container runs it. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Coordinator } from '../../coordinator/coordinator.ts';
import { writeCertificates } from '../../coordinator/setup/federation-files.ts';
import { startCoordinator, writeTestFederationFile } from '../coordinator/support/test-federation.ts';

const accord = fileURLToPath(new URL('../../bin/accord.js', import.meta.url));
const running: Coordinator[] = [];
afterEach(async () => {
  for (const coordinator of running.splice(0)) await coordinator.stop();
});

async function health(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [accord, 'coordinator', 'health', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function federation(overrides: Record<string, unknown> = {}) {
  const { config, configPath } = await writeTestFederationFile(overrides);
  if (overrides.tls) await writeCertificates(config, ['127.0.0.1', 'localhost'], 'clinic');
  const started = await startCoordinator(config);
  running.push(started.coordinator);
  return { configPath, ...started };
}

describe('accord coordinator health', () => {
  it('says the coordinator serves this federation, with the round its store holds (exit 0)', async () => {
    const { configPath, address, coordinator } = await federation();
    const answer = await health('--config', configPath, '--address', address, '--json');
    expect(answer.code).toBe(0);
    const report = JSON.parse(answer.stdout) as Record<string, unknown>;
    const latest = coordinator.context.store.latestRound();
    expect(latest).toBeDefined();
    expect(report).toMatchObject({
      serving: true,
      address,
      federationId: coordinator.context.federationId,
      round: { number: latest?.number, state: latest?.state, openedAt: new Date(latest?.openedAt ?? 0).toISOString() },
    });
    const text = await health('--config', configPath, '--address', address);
    expect(text.stdout).toContain(`serving: "Test consortium" at ${address}`);
    expect(text.stdout).toContain(`round ${latest?.number}: ${latest?.state}`);
  });

  it('gets through mutual TLS with a certificate issued for the check', async () => {
    const { configPath, address } = await federation({ tls: { mutual: true } });
    const answer = await health('--config', configPath, '--address', address);
    expect(answer.code).toBe(0);
    expect(answer.stdout).toContain('serving:');
  });

  it('says NOT serving (exit 1) when a server of another federation answers, and when nothing does', async () => {
    const { configPath, address, coordinator } = await federation();
    const other = await federation();
    // Another federation's server certificate is not signed by this federation's CA: refused before Hello.
    const wrong = await health('--config', configPath, '--address', other.address);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain(`NOT serving: "Test consortium" at ${other.address}`);
    await coordinator.stop();
    running.splice(running.indexOf(coordinator), 1);
    const stopped = await health('--config', configPath, '--address', address);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain(`NOT serving: "Test consortium" at ${address}`);
  });

  it('answers a malformed address with the usage line (exit 2)', async () => {
    const { configPath } = await federation();
    const answer = await health('--config', configPath, '--address', 'no port');
    expect(answer.code).toBe(2);
    expect(answer.stderr).toContain('--address must be HOST:PORT');
  });
});
