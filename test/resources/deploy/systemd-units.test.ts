/**
 * The systemd units IT installs, checked by systemd's own tools: `systemd-analyze verify` (syntax, every
 * directive known, the command executable) and `systemd-analyze security --offline` (the exposure score).
 * Skipped, with the reason, where systemd-analyze is not installed (apt-get install systemd).
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../support/participant-fixtures.ts';

const unitsDir = fileURLToPath(new URL('../../../resources/deploy/systemd/', import.meta.url));
const accord = fileURLToPath(new URL('../../../bin/accord.js', import.meta.url));
const units = ['accord-coordinator.service', 'accord-site.service'];

function hasSystemdAnalyze(): boolean {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const analyze = hasSystemdAnalyze();
const skipReason = 'systemd-analyze is not installed here (apt-get install systemd)';

/** The units as installed on this machine: the `accord` on PATH is this checkout's bin/accord.js. */
function installedCopies(edit: (text: string) => string = (text) => text): string[] {
  const dir = tempDir('accord-units-');
  return units.map((unit) => {
    const file = join(dir, unit);
    copyFileSync(join(unitsDir, unit), file);
    writeFileSync(file, edit(readFileSync(file, 'utf8')).replaceAll('/usr/local/bin/accord', accord));
    return file;
  });
}

async function systemdAnalyze(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('systemd-analyze', args);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('systemd units', () => {
  it.each(units)('%s runs as a service user, ProtectSystem=strict, state under /var/lib/accord', (unit) => {
    const text = readFileSync(join(unitsDir, unit), 'utf8');
    expect(text).toMatch(/^User=accord$/m);
    expect(text).toMatch(/^ProtectSystem=strict$/m);
    expect(text).toMatch(/^StateDirectory=accord\/\w+$/m);
    expect(text).toMatch(/^NoNewPrivileges=yes$/m);
  });

  it.skipIf(!analyze)(`pass systemd-analyze verify with no warning (skipped when ${skipReason})`, async () => {
    const result = await systemdAnalyze('verify', ...installedCopies());
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });

  it.skipIf(!analyze)('fail it when a directive is wrong, so the check above can fail', async () => {
    const broken = installedCopies((text) => text.replace('ProtectSystem=strict', 'ProtectSystem=sideways'));
    const result = await systemdAnalyze('verify', ...broken);
    expect(result.stderr).toContain('Failed to parse protect system value');
  });

  it.skipIf(!analyze)('are rated OK (exposure below 2 of 10) by systemd-analyze security', async () => {
    for (const file of installedCopies()) {
      const result = await systemdAnalyze('security', '--offline=yes', file);
      const level = /Overall exposure level for \S+: ([\d.]+) (\w+)/.exec(result.stdout);
      expect(level, result.stdout + result.stderr).not.toBeNull();
      expect(Number(level?.[1])).toBeLessThan(2);
    }
  });
});
