/**
 * docs/architecture.md invariant 4: the participant process is SIGKILLed in every round state, restarted, and must
 * finish the round with no double upload, no lost or duplicated audit entry and no ledger change.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import { FakeCoordinator, fakeTask } from '../../../support/fake-coordinator.ts';
import { registerSampleReviews, tempDir } from '../../../support/participant-fixtures.ts';

const child = fileURLToPath(new URL('../../../support/round-crash-child.ts', import.meta.url));

/** Runs the child; resolves with its last line once it exits, or kills it when it reports PAUSED. */
function runChild(home: string, task: string, crashAt = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child], {
      env: { ...process.env, ACCORD_HOME: home, ROUND_TASK: task, CRASH_AT: crashAt },
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('PAUSED')) proc.kill('SIGKILL');
    });
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && out.includes('PAUSED')) resolve(out.trim());
      else if (code === 0) resolve(out.trim());
      else reject(new Error(`child exited ${code ?? signal}: ${err}`));
    });
  });
}

interface Snapshot {
  audit: { seq: number; kind: string; hash: string }[];
  ledger: unknown[];
}

function snapshot(home: string): Snapshot {
  const db = new Database(join(home, 'participant.sqlite'), { readonly: true });
  const audit = db.prepare('SELECT seq, kind, hash FROM audit ORDER BY seq').all() as Snapshot['audit'];
  const ledger = db.prepare('SELECT * FROM ledger ORDER BY seq').all();
  db.close();
  return { audit, ledger };
}

async function setUp(): Promise<string> {
  const home = tempDir('accord-crash-');
  const node = openParticipantNode({ home });
  const dataset = await registerSampleReviews(node, home);
  node.ledger.setBudget(dataset.id, 8, 1e-5);
  node.consent.setPolicy('fed-a', { mode: 'auto', limits: {} });
  node.close();
  return home;
}

const roundKinds = [
  'invitation',
  'acceptance',
  'download',
  'update',
  'decision',
  'ledger.debit',
  'upload.intent',
  'upload',
];
const crashPoints = [
  'invited',
  'accepted',
  'downloaded',
  'training',
  'update_ready',
  'awaiting_approval',
  'approved',
  'uploading',
  'upload-sent',
  'uploaded',
  'receipted',
];

describe('a participant killed in any round state', () => {
  it.each(crashPoints)('resumes cleanly after SIGKILL in %s', async (crashAt) => {
    const home = await setUp();
    const task = JSON.stringify(fakeTask());
    expect(await runChild(home, task, crashAt)).toContain(`PAUSED ${crashAt}`);
    const beforeRestart = snapshot(home);
    expect(await runChild(home, task)).toContain('DONE receipted');
    const after = snapshot(home);

    // No lost or rewritten audit entry: what was written before the crash is a prefix of the final log.
    expect(after.audit.slice(0, beforeRestart.audit.length)).toEqual(beforeRestart.audit);
    // No duplicated entry: each round step appears exactly once.
    expect(after.audit.map((e) => e.kind).filter((k) => roundKinds.includes(k))).toEqual(roundKinds);
    // The ledger: one debit, and a debit made before the crash is untouched.
    expect(after.ledger).toHaveLength(1);
    if (beforeRestart.ledger.length) expect(after.ledger).toEqual(beforeRestart.ledger);

    const coordinator = new FakeCoordinator(join(home, 'coordinator.sqlite'));
    const uploads = coordinator.uploads();
    coordinator.close();
    // No double upload: one upload id; a resend after 'upload-sent' reuses the id with identical bytes.
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.attempts).toBe(crashAt === 'upload-sent' ? 2 : 1);
    const node = openParticipantNode({ home });
    expect(await node.verifyAudit()).toMatchObject({ ok: true });
    const [round] = node.rounds.list();
    expect(round?.sentSha256).toBe(uploads[0]?.sha256);
    node.close();
  });
});
