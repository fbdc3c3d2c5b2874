/** `accord participant …` on a machine with a managed policy file: refusals name the file; nothing changes. */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir, writeSentimentCsv } from '../../support/participant-fixtures.ts';

const accord = fileURLToPath(new URL('../../../bin/accord.js', import.meta.url));

async function cli(home: string, policyFile: string, ...args: string[]) {
  const env = { ...process.env, ACCORD_HOME: home, ACCORD_POLICY_FILE: policyFile };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [accord, 'participant', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function machine(rules: object) {
  const home = tempDir();
  const approved = join(home, 'approved');
  mkdirSync(approved);
  const policyFile = join(home, 'policy.json');
  writeFileSync(policyFile, JSON.stringify({ datasetFolders: [approved], ...rules }));
  return { home, approved, policyFile };
}

const addArgs = (path: string) =>
  ['datasets', 'add', '--name', 'reviews', '--path', path, '--task', 'sentiment', '--column', 'text=text'] as const;

describe('accord participant under a managed policy', () => {
  it("registers datasets only from the policy's folders and refuses a budget above its largest", async () => {
    const { home, approved, policyFile } = machine({ maxEpsilonBudget: 4 });
    const outside = await cli(home, policyFile, ...addArgs(writeSentimentCsv(home)));
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain(`they are set by the managed policy ${policyFile}`);
    const added = await cli(home, policyFile, ...addArgs(writeSentimentCsv(approved)));
    expect(added.code).toBe(0);
    const id = /registered (\S+)/.exec(added.stdout)?.[1] ?? '';
    const tooLarge = await cli(home, policyFile, 'budget', 'set', id, '--epsilon', '9', '--delta', '1e-5');
    expect(tooLarge.code).toBe(1);
    expect(tooLarge.stderr).toContain(`refused by the managed policy ${policyFile}`);
    expect((await cli(home, policyFile, 'budget', 'show', id)).stderr).toContain('has no privacy budget');
    expect((await cli(home, policyFile, 'budget', 'set', id, '--epsilon', '4', '--delta', '1e-5')).code).toBe(0);
  });

  it('refuses automatic approval and payload retention changes the policy fixes', async () => {
    const { home, policyFile } = machine({
      consent: { automaticApproval: false },
      workstation: { retainPayloads: true },
    });
    const auto = await cli(home, policyFile, 'policy', 'set', 'fed-a', '--mode', 'auto');
    expect(auto.code).toBe(1);
    expect(auto.stderr).toContain(
      `automatic approval is not allowed on this workstation: refused by the managed policy ${policyFile}`,
    );
    expect(JSON.parse((await cli(home, policyFile, 'policy', 'show', 'fed-a')).stdout)).toMatchObject({ mode: 'ask' });
    const retain = await cli(home, policyFile, 'audit', 'retain', 'off');
    expect(retain.code).toBe(1);
    expect(retain.stderr).toContain(`retainPayloads is managed: refused by the managed policy ${policyFile}`);
  });

  it('stops with the file and the field named when the policy is invalid', async () => {
    const { home, policyFile } = machine({ consent: { maxEpsilonRound: 'one' } });
    const listed = await cli(home, policyFile, 'datasets', 'list');
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain(`the managed policy ${policyFile} is not valid: consent.maxEpsilonRound`);
  });
});
