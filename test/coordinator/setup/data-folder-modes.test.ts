/** A coordinator's data is its operator's alone: after it starts, its folders are 0700 and its store 0600. */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { federationPaths } from '../../../coordinator/setup/federation-files.ts';
import { startCoordinator, writeTestFederation } from '../support/test-federation.ts';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe.skipIf(process.platform === 'win32')('coordinator file modes', () => {
  it('keeps the data folder, uploads, checkpoints and logs 0700 and the store 0600', async () => {
    const config = await writeTestFederation();
    const { coordinator } = await startCoordinator(config);
    try {
      const paths = federationPaths(config.dataDir);
      for (const folder of [config.dataDir, paths.uploads, paths.checkpoints, join(config.dataDir, 'logs')])
        expect([folder, modeOf(folder)]).toEqual([folder, '700']);
      for (const file of [paths.database, `${paths.database}-wal`]) expect([file, modeOf(file)]).toEqual([file, '600']);
    } finally {
      await coordinator.stop();
    }
  });

  it('narrows a data folder, its logs and its store that already existed with wider modes', async () => {
    const config = await writeTestFederation();
    const paths = federationPaths(config.dataDir);
    const logs = join(config.dataDir, 'logs');
    mkdirSync(logs, { recursive: true });
    for (const folder of [config.dataDir, paths.uploads, logs]) chmodSync(folder, 0o755);
    chmodSync(paths.database, 0o644);
    const { coordinator } = await startCoordinator(config);
    try {
      for (const folder of [config.dataDir, paths.uploads, logs])
        expect([folder, modeOf(folder)]).toEqual([folder, '700']);
      expect(modeOf(paths.database)).toBe('600');
    } finally {
      await coordinator.stop();
    }
  });
});
