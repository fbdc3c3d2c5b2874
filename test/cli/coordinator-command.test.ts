import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';

const accord = fileURLToPath(new URL('../../bin/accord.js', import.meta.url));
const run = (cwd: string, ...args: string[]) =>
  execFileSync(process.execPath, [accord, 'coordinator', ...args], { cwd, encoding: 'utf8' });

describe('accord coordinator init | certs | invite', () => {
  it('sets up a federation folder from an example config and prints a token whose hash only is stored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-cli-'));
    expect(run(dir, 'init')).toMatch(/wrote an example configuration/);
    expect(JSON.parse(readFileSync(join(dir, 'coordinator.json'), 'utf8')).strategy).toEqual({ name: 'fedavg' });
    expect(run(dir, 'init')).toMatch(/federation [0-9a-f-]{36} initialised/);
    expect(run(dir, 'certs', '--host', '127.0.0.1', '--client', 'hospital-a')).toMatch(
      /wrote .*clients\/hospital-a.pem/,
    );
    expect(existsSync(join(dir, 'data', 'certs', 'server-key.pem'))).toBe(true);

    const token = run(dir, 'invite', '--days', '2', '--note', 'Hospital A').trim();
    expect(token).toMatch(/^accord1_[A-Za-z0-9_-]{43}$/);
    const db = new Database(join(dir, 'data', 'coordinator.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT token_sha256 AS hash, note FROM invitations').all();
    db.close();
    expect(rows).toEqual([{ hash: createHash('sha256').update(token).digest('hex'), note: 'Hospital A' }]);
    expect(() => run(dir, 'invite', '--days', 'soon')).toThrow(/--days must be a positive number/);
  });

  it('init --config in a folder that does not exist yet creates it; refuses in words where it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-cli-'));
    expect(run(dir, 'init', '--config', 'fed/coordinator.json')).toMatch(/wrote an example configuration/);
    expect(existsSync(join(dir, 'fed', 'coordinator.json'))).toBe(true);
    expect(existsSync(join(dir, 'fed', 'initial.safetensors'))).toBe(true);
    expect(run(dir, 'init', '--config', 'fed/coordinator.json')).toMatch(/federation [0-9a-f-]{36} initialised/);
    expect(existsSync(join(dir, 'fed', 'data', 'coordinator.sqlite'))).toBe(true);

    writeFileSync(join(dir, 'a-file'), '');
    const refused = spawnSync(process.execPath, [accord, 'coordinator', 'init', '--config', 'a-file/fed/c.json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^accord coordinator init: cannot create the folder .*a-file\/fed for the configuration \(ENOTDIR\)\n$/,
    );
  });

  it('init --job writes the configuration and seeded weights, initialises, and refuses a bad job writing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-cli-'));
    const job = { federation: { name: 'Triage' }, labels: ['urgent', 'routine'], model: { dModel: 8 }, seed: 3 };
    writeFileSync(join(dir, 'job.json'), JSON.stringify(job));
    const out = run(dir, 'init', '--config', 'fed/coordinator.json', '--job', 'job.json');
    expect(out).toMatch(/labels urgent,routine/);
    expect(out).toMatch(/federation [0-9a-f-]{36} initialised/);
    const config = JSON.parse(readFileSync(join(dir, 'fed', 'coordinator.json'), 'utf8'));
    expect(config.federation.name).toBe('Triage');
    expect(config.training).toMatchObject({ labels: 'urgent,routine', architecture: 'bag', dModel: 8 });
    expect(existsSync(join(dir, 'fed', 'initial.safetensors'))).toBe(true);
    expect(existsSync(join(dir, 'fed', 'data', 'coordinator.sqlite'))).toBe(true);
    const again = spawnSync(
      process.execPath,
      [accord, 'coordinator', 'init', '--config', 'fed/coordinator.json', '--job', 'job.json'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/coordinator\.json already exists/);

    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...job, model: { architecture: 'lstm' } }));
    const bad = spawnSync(
      process.execPath,
      [accord, 'coordinator', 'init', '--config', 'other/c.json', '--job', 'bad.json'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bad\.json: model: training setting "architecture"/);
    expect(existsSync(join(dir, 'other'))).toBe(false);
  });
});
