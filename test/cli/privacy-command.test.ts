/**
 * `accord privacy` run as a child process, the way a data protection officer runs it. Expected values:
 * pytorch/opacus, opacus/tests/accountants_test.py (test_rdp_accountant, test_get_noise_multiplier_rdp_epochs).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const accord = fileURLToPath(new URL('../../bin/accord.js', import.meta.url));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [accord, 'privacy', ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('accord privacy', () => {
  it('epsilon: σ 1.5, q 0.04, 2250 steps, δ 1e-5 → one JSON line with ε = 7.32911117143', () => {
    const { status, stdout } = run(
      'epsilon',
      ...['--noise-multiplier', '1.5', '--sample-rate', '0.04', '--steps', '2250', '--delta', '1e-5'],
    );
    expect(status).toBe(0);
    expect(stdout.endsWith('\n') && stdout.trim().split('\n')).toHaveLength(1);
    const answer = JSON.parse(stdout) as { epsilon: number; order: number };
    expect(Object.keys(answer)).toEqual(['epsilon', 'order']);
    expect(Math.abs(answer.epsilon / 7.32911117143 - 1)).toBeLessThan(1e-6);
  });

  it('epsilon with --orders uses those orders and warns on stderr when the best is at an end', () => {
    const { status, stdout, stderr } = run(
      'epsilon',
      ...[
        '--noise-multiplier',
        '1.5',
        '--sample-rate',
        '0.04',
        '--steps',
        '2250',
        '--delta',
        '1e-5',
        '--orders',
        '2,3,4',
      ],
    );
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ order: 4 });
    expect(stderr).toMatch(/largest/);
  });

  it('noise: ε 8, δ 1e-5, q 0.04, 2250 steps → {"noise_multiplier": ≈1.416}', () => {
    const { status, stdout } = run(
      'noise',
      ...['--target-epsilon', '8', '--delta', '1e-5', '--sample-rate', '0.04', '--steps', '2250'],
    );
    expect(status).toBe(0);
    const answer = JSON.parse(stdout) as { noise_multiplier: number };
    expect(Object.keys(answer)).toEqual(['noise_multiplier']);
    expect(answer.noise_multiplier).toBeCloseTo(1.416, 4);
  });

  it('fails with status 2 (a usage error) and a message naming the flag', () => {
    const missing = run('epsilon', '--sample-rate', '0.04', '--steps', '10', '--delta', '1e-5');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--noise-multiplier is required/);
    const bad = run(
      'epsilon',
      ...['--noise-multiplier', '1', '--sample-rate', '2', '--steps', '10', '--delta', '1e-5'],
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--sample-rate must be in \(0, 1\]/);
    const fractional = run(
      'noise',
      ...['--target-epsilon', '1', '--delta', '1e-5', '--sample-rate', '0.1', '--steps', '2.5'],
    );
    expect(fractional.stderr).toMatch(/--steps must be a non-negative integer/);
    expect(run('nonsense').stderr).toMatch(/unknown command "nonsense"/);
    expect(bad.stdout).toBe('');
  });
});
