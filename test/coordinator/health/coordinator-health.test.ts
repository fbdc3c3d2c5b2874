import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';
import type { Coordinator } from '../../../coordinator/coordinator.ts';
import { checkCoordinatorHealth, probeAddress } from '../../../coordinator/health/coordinator-health.ts';
import { federationPaths } from '../../../coordinator/setup/federation-files.ts';
import { startCoordinator, writeTestFederation } from '../support/test-federation.ts';

const running: Coordinator[] = [];
afterEach(async () => {
  for (const coordinator of running.splice(0)) await coordinator.stop();
});

const listening = (host: string, port = 7443) => ({ listen: { host, port } }) as CoordinatorConfig;

describe('coordinator health', () => {
  it('asks a wildcard listen address on this machine, and a named one where it is', () => {
    expect(probeAddress(listening('0.0.0.0'))).toBe('127.0.0.1:7443');
    expect(probeAddress(listening('::'))).toBe('127.0.0.1:7443');
    expect(probeAddress(listening('fl.example.org'))).toBe('fl.example.org:7443');
    expect(probeAddress(listening('::1'))).toBe('[::1]:7443');
  });

  it('reports the running round of a serving coordinator, read from its store', async () => {
    const config = await writeTestFederation();
    const { coordinator, address } = await startCoordinator(config);
    running.push(coordinator);
    const health = await checkCoordinatorHealth(config, { address });
    const latest = coordinator.context.store.latestRound();
    expect(health).toMatchObject({ serving: true, federationId: coordinator.context.federationId });
    expect(health.round).toEqual({
      number: latest?.number,
      state: latest?.state,
      openedAt: new Date(latest?.openedAt ?? 0).toISOString(),
      deadlineAt: new Date(latest?.deadlineAt ?? 0).toISOString(),
    });
  });

  it('is not serving, with the reason, when the CA file is gone or nothing listens', async () => {
    const config = await writeTestFederation();
    const { coordinator, address } = await startCoordinator(config);
    await coordinator.stop();
    const stopped = await checkCoordinatorHealth(config, { address, timeoutMs: 2000 });
    expect(stopped).toMatchObject({ serving: false, problem: expect.any(String) });
    rmSync(federationPaths(config.dataDir).caCertificate);
    const noCa = await checkCoordinatorHealth(config, { address });
    expect(noCa.serving).toBe(false);
    expect(noCa.problem).toContain('ca.pem');
  });
});
