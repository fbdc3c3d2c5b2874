/** `accord participant …` as a user runs it: a child process on a temporary ACCORD_HOME. */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fakeTask } from '../../support/fake-coordinator.ts';
import { tempDir, wiredParticipant, writeSentimentCsv } from '../../support/participant-fixtures.ts';

const accord = fileURLToPath(new URL('../../../bin/accord.js', import.meta.url));

async function cli(home: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [accord, 'participant', ...args], {
      env: { ...process.env, ACCORD_HOME: home },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A participant home with a finished round and a pending one, so the audit log has real entries. */
async function homeWithRounds(): Promise<{ home: string; pendingId: string; datasetId: string }> {
  const participant = await wiredParticipant();
  const { node, runner } = participant;
  node.consent.setPolicy('fed-a', { mode: 'auto', limits: {} });
  await runner.handle(fakeTask({ roundId: 'round-1' }));
  node.consent.setPolicy('fed-a', { mode: 'ask', limits: {} });
  const compressed = { updateEncoding: 'accord-update-v1', compression: { method: 'int8' } } as const;
  const waiting = await runner.handle(fakeTask({ roundId: 'round-2', roundNumber: 2, ...compressed }));
  node.close();
  participant.coordinator.close();
  return { home: participant.home, pendingId: waiting.contributionId ?? '', datasetId: participant.datasetId };
}

function tamper(home: string, sql: string): void {
  const db = new Database(join(home, 'participant.sqlite'));
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
  db.exec(sql);
  db.close();
}

describe('accord participant (CLI)', () => {
  it('adds, lists and removes datasets, and explains a bad file by file, line and field', async () => {
    const home = tempDir();
    const file = writeSentimentCsv(home);
    const added = await cli(
      home,
      'datasets',
      'add',
      '--name',
      'reviews',
      '--path',
      file,
      '--task',
      'sentiment',
      '--format',
      'csv',
      '--column',
      'text=text',
      '--column',
      'label=label',
    );
    expect(added.code).toBe(0);
    const id = /registered (\S+)/.exec(added.stdout)?.[1] ?? '';
    const listed = JSON.parse((await cli(home, 'datasets', 'list', '--json')).stdout) as { id: string; path: string }[];
    expect(listed).toEqual([expect.objectContaining({ id, path: file })]);
    const bad = await cli(
      home,
      'datasets',
      'add',
      '--name',
      'x',
      '--path',
      file,
      '--task',
      's',
      '--column',
      'text=body',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${file}:1 field "body": the text column "body" is not in the header`);
    expect((await cli(home, 'datasets', 'remove', id)).code).toBe(0);
    expect(JSON.parse((await cli(home, 'datasets', 'list', '--json')).stdout)).toEqual([]);
  });

  it('sets and shows a budget, with what was spent', async () => {
    const { home, datasetId } = await homeWithRounds();
    const set = await cli(home, 'budget', 'set', datasetId, '--epsilon', '5', '--delta', '1e-6');
    expect(set.code).toBe(0);
    const shown = JSON.parse((await cli(home, 'budget', 'show', datasetId, '--json')).stdout) as {
      epsilon: number;
      delta: number;
      entries: unknown[];
      spent: number;
    };
    expect(shown).toMatchObject({ epsilon: 5, delta: 1e-6 });
    expect(shown.entries).toHaveLength(1);
    expect(shown.spent).toBeGreaterThan(0);
    expect((await cli(home, 'budget', 'set', datasetId, '--epsilon', 'lots', '--delta', '1e-6')).stderr).toContain(
      '--epsilon needs a number',
    );
  });

  it('shows what is pending and records an approval by the OS user', async () => {
    const { home, pendingId, datasetId } = await homeWithRounds();
    const rounds = await cli(home, 'rounds');
    expect(rounds.stdout).toMatch(/fed-a\/round-1 {2}receipted/);
    expect(rounds.stdout).toMatch(/fed-a\/round-2 {2}awaiting_approval/);
    const pending = await cli(home, 'pending');
    expect(pending.stdout).toContain(pendingId);
    expect(pending.stdout).toMatch(/bytes, sha256 [0-9a-f]{64}, L2 norm [0-9.]+; compressed \(int8\), \d+ bytes dense/);
    const approved = await cli(home, 'approve', pendingId, '--comment', 'looks right');
    expect(approved.stdout).toMatch(new RegExp(`approved ${pendingId} by ${process.env.USER ?? '\\S+'}`));
    const shown = JSON.parse((await cli(home, 'budget', 'show', datasetId, '--json')).stdout) as { entries: unknown[] };
    expect(shown.entries).toHaveLength(2);
    expect((await cli(home, 'decline', pendingId)).stderr).toContain('is approved, not pending');
  });

  it('verifies the audit log and exports JSON and a self-contained HTML report', async () => {
    const { home } = await homeWithRounds();
    const verified = await cli(home, 'audit', 'verify');
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toMatch(/audit log verified: \d+ entries/);
    const json = join(home, 'audit.json');
    const html = join(home, 'audit.html');
    expect((await cli(home, 'audit', 'export', '--json', json, '--html', html)).code).toBe(0);
    const exported = JSON.parse(readFileSync(json, 'utf8')) as {
      entries: { kind: string }[];
      verification: { ok: boolean };
    };
    expect(exported.verification.ok).toBe(true);
    expect(exported.entries.map((e) => e.kind)).toContain('upload');
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<title>Accord audit report</title>');
    expect(page).not.toMatch(/<script|src="http|href="http/);
  });

  it.each([
    [
      'an edited entry',
      "UPDATE audit SET data = replace(data, 'approved', 'declined') WHERE kind = 'decision' AND seq = (SELECT min(seq) FROM audit WHERE kind = 'decision')",
      /entry (\d+) \(decision\) was changed/,
    ],
    [
      'a removed entry',
      "DELETE FROM audit WHERE seq = (SELECT min(seq) FROM audit WHERE kind = 'upload')",
      /entry (\d+) is missing: it was removed/,
    ],
    [
      'reordered entries',
      'UPDATE audit SET seq = -1 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = -1;',
      /entry 3 \(\S+\) is out of order/,
    ],
  ])('names %s found by `audit verify` after tampering with the database', async (_what, sql, expected) => {
    const { home } = await homeWithRounds();
    tamper(home, sql);
    const result = await cli(home, 'audit', 'verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('audit log FAILED verification');
    expect(result.stdout).toMatch(expected);
  });

  it('writes a consent policy, refuses a malformed one, and backs the database up', async () => {
    const home = tempDir();
    const set = await cli(home, 'policy', 'set', 'fed-a', '--mode', 'auto', '--max-epsilon', '0.5', '--hours', '8-18');
    expect(JSON.parse(set.stdout)).toEqual({
      mode: 'auto',
      limits: { maxEpsilonRound: 0.5, hours: { from: 8, to: 18 } },
      metrics: 'share',
    });
    const withheld = await cli(home, 'policy', 'set', 'fed-b', '--mode', 'ask', '--metrics', 'withhold');
    expect(JSON.parse(withheld.stdout)).toEqual({ mode: 'ask', limits: {}, metrics: 'withhold' });
    const refused = await cli(home, 'policy', 'set', 'fed-b', '--mode', 'ask', '--metrics', 'never');
    expect(refused.stderr).toContain('--metrics must be share or withhold, got "never"');
    expect(JSON.parse((await cli(home, 'policy', 'show', 'fed-b')).stdout).metrics).toBe('withhold');
    expect((await cli(home, 'policy', 'set', 'fed-a', '--mode', 'auto', '--hours', 'daytime')).stderr).toContain(
      '--hours expects FROM-TO in whole hours (e.g. 8-18), got "daytime"',
    );
    const copy = join(home, 'copy.sqlite');
    expect((await cli(home, 'backup', copy)).code).toBe(0);
    const db = new Database(copy, { readonly: true });
    expect(db.prepare("SELECT mode FROM consent_policies WHERE federation_id = 'fed-a'").get()).toEqual({
      mode: 'auto',
    });
    db.close();
  });
});
