import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ManagedPolicyFileError,
  managedPolicyPath,
  readManagedPolicy,
} from '../../../../main/participant/policy/managed-policy-file.ts';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

function policyFile(content: unknown): string {
  const file = join(tempDir('accord-policy-'), 'policy.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const linux = (env: Record<string, string> = {}) => ({ env, platform: 'linux' as const });

describe('the managed policy file', () => {
  it("lives in each OS's machine-wide place, and ACCORD_POLICY_FILE overrides it", () => {
    expect(managedPolicyPath(linux())).toBe('/etc/accord/policy.json');
    expect(managedPolicyPath({ env: {}, platform: 'darwin' })).toBe('/Library/Application Support/Accord/policy.json');
    expect(managedPolicyPath({ env: { ProgramData: 'D:\\Data' }, platform: 'win32' })).toBe(
      join('D:\\Data', 'Accord', 'policy.json'),
    );
    expect(managedPolicyPath(linux({ ACCORD_POLICY_FILE: '/srv/p.json' }))).toBe('/srv/p.json');
  });

  it('is read with its defaults filled in, and remembers which file it came from', () => {
    const file = policyFile({ maxEpsilonBudget: 4, consent: { maxEpsilonRound: 0.5 }, telemetry: false });
    const policy = readManagedPolicy(linux({ ACCORD_POLICY_FILE: file }));
    expect(policy).toMatchObject({
      file,
      maxEpsilonBudget: 4,
      consent: { automaticApproval: true, maxEpsilonRound: 0.5 },
      federations: [],
      onlyPresetFederations: false,
    });
  });

  it('is absent when no file is in the default place, but ACCORD_POLICY_FILE naming no file is an error', () => {
    const missing = join(tempDir('accord-policy-'), 'none.json');
    expect(() => readManagedPolicy(linux({ ACCORD_POLICY_FILE: missing }))).toThrow(
      `the managed policy ${missing} is not valid: ACCORD_POLICY_FILE names no file`,
    );
  });

  it('names the file and each wrong field: a misspelt one, a wrong type, a relative folder, telemetry on', () => {
    const file = policyFile({
      maxEpsilonBudgt: 4,
      consent: { maxEpsilonRound: 'one' },
      datasetFolders: ['data/site'],
      telemetry: true,
      federations: [{ name: 'Oncology', coordinator: 'fl.example.org', caFile: '/etc/accord/ca.pem' }],
    });
    const read = () => readManagedPolicy(linux({ ACCORD_POLICY_FILE: file }));
    expect(read).toThrow(ManagedPolicyFileError);
    expect(read).toThrow(`the managed policy ${file} is not valid: `);
    const message = (() => {
      try {
        read();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('maxEpsilonBudgt: not a field of the policy');
    for (const field of ['consent.maxEpsilonRound', 'datasetFolders.0', 'telemetry']) expect(message).toContain(field);
    expect(message).toContain('federations.0.coordinator: must be HOST:PORT');
    expect(message).toContain('must be an absolute path');
  });

  it('takes an http:// proxy for CONNECT and refuses another scheme', () => {
    const good = policyFile({ proxy: { url: 'http://proxy.example:3128', noProxy: ['.internal'] } });
    expect(readManagedPolicy(linux({ ACCORD_POLICY_FILE: good }))?.proxy).toEqual({
      url: 'http://proxy.example:3128',
      noProxy: ['.internal'],
    });
    const tls = policyFile({ proxy: { url: 'https://proxy.example:3128' } });
    expect(() => readManagedPolicy(linux({ ACCORD_POLICY_FILE: tls }))).toThrow(
      'proxy.url: must be an http:// proxy URL (CONNECT)',
    );
  });

  it('says when the file is not JSON or cannot be read', () => {
    const broken = policyFile('{ "maxEpsilonBudget": 4, ');
    expect(() => readManagedPolicy(linux({ ACCORD_POLICY_FILE: broken }))).toThrow(
      new RegExp(`the managed policy ${broken} is not valid: not JSON`),
    );
    const folder = join(tempDir('accord-policy-'), 'policy.json');
    mkdirSync(folder);
    expect(() => readManagedPolicy(linux({ ACCORD_POLICY_FILE: folder }))).toThrow(/cannot be read/);
  });

  it('stops a participant node from opening when invalid, before its database is created', () => {
    const home = join(tempDir(), 'home');
    const file = policyFile({ maxEpsilonBudget: -1 });
    const previous = process.env.ACCORD_POLICY_FILE;
    process.env.ACCORD_POLICY_FILE = file;
    try {
      expect(() => openParticipantNode({ home })).toThrow(`the managed policy ${file} is not valid: maxEpsilonBudget`);
    } finally {
      if (previous === undefined) delete process.env.ACCORD_POLICY_FILE;
      else process.env.ACCORD_POLICY_FILE = previous;
    }
    expect(existsSync(join(home, 'participant.sqlite'))).toBe(false);
  });
});
