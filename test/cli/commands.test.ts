/**
 * Every command in the one command tree, run as a person runs it (the real bin/accord.js in a child process):
 * `--help` and `-h` answer on stdout with exit 0; an unknown option is one line and the usage line on stderr,
 * exit 2, before anything is opened; unknown commands, missing values and `--version` as the docs say.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { accordCommands } from '../../cli/commands.ts';
import { allCommands, isGroup, usageLine } from '../../cli/command-line/command-tree.ts';

const accord = fileURLToPath(new URL('../../bin/accord.js', import.meta.url));
const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

interface Answer {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: string[], home = mkdtempSync(join(tmpdir(), 'accord-commands-'))): Promise<Answer> {
  return new Promise((resolve) => {
    const env = { ...process.env, ACCORD_HOME: home, ACCORD_KEYCHAIN_SERVICE: 'Accord command-line test' };
    execFile(process.execPath, [accord, ...args], { env, cwd: home }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

const commands = [...allCommands(accordCommands)];
const named = commands.filter(([path]) => path.length > 0);
const runnable = named.filter(([, command]) => !isGroup(command));
const groups = named.filter(([, command]) => isGroup(command));

describe.concurrent('accord --help for every command', () => {
  it('knows every command the documentation names', () => {
    const paths = commands.map(([path]) => path.join(' '));
    for (const expected of ['participant enrol', 'participant audit verify', 'coordinator init', 'train', 'eval'])
      expect(paths).toContain(expected);
  });

  it.each(commands.map(([path, command]) => [path.join(' ') || '(none)', path, command] as const))(
    'accord %s --help prints its usage on stdout and exits 0',
    async (_name, path, command) => {
      for (const flag of ['--help', '-h']) {
        const answer = await run([...path, flag]);
        expect(answer, flag).toMatchObject({ code: 0, stderr: '' });
        expect(answer.stdout.split('\n')[0]).toBe(usageLine(path, command));
        expect(answer.stdout).toContain(isGroup(command) ? 'commands:' : command.summary);
      }
    },
  );
});

describe.concurrent('accord usage errors', () => {
  it.each(runnable.map(([path, command]) => [path.join(' '), path, command] as const))(
    'accord %s --no-such-option exits 2 with one line and the usage line, opening nothing',
    async (name, path, command) => {
      const home = mkdtempSync(join(tmpdir(), 'accord-commands-'));
      const answer = await run([...path, '--no-such-option'], home);
      expect(answer).toEqual({
        code: 2,
        stdout: '',
        stderr: `accord ${name}: unknown option --no-such-option\n${usageLine(path, command)}\n`,
      });
      expect(readdirSync(home)).toEqual([]);
    },
  );

  it.each(groups.map(([path]) => [path.join(' '), path] as const))(
    'accord %s with an unknown or no command exits 2',
    async (name, path) => {
      const unknown = await run([...path, 'no-such-command']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toBe(
        `accord ${name}: unknown command "no-such-command"\nusage: accord ${name} <command> [options]\n`,
      );
      const none = await run(path);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(new RegExp(`^usage: accord ${name} <command>`));
    },
  );

  it('accord alone prints the usage on stderr and exits 2; an unknown command exits 2', async () => {
    const none = await run([]);
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toMatch(/^usage: accord <command> \[options\]\n[\s\S]*participant/);
    const bogus = await run(['bogus']);
    expect(bogus).toMatchObject({
      code: 2,
      stderr: 'accord: unknown command "bogus"\nusage: accord <command> [options]\n',
    });
  });

  it('a missing value and a malformed value are usage errors (exit 2) that name the option', async () => {
    const missing = await run(['coordinator', 'invite', '--days']);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr.split('\n')[0]).toBe('accord coordinator invite: --days needs a value');
    const malformed = await run(['privacy', 'epsilon', '--noise-multiplier', 'x', '--sample-rate', '0.1']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(
      /^accord privacy epsilon: --noise-multiplier must be a number \(got "x"\)\nusage: /,
    );
    const required = await run(['participant', 'enrol', '--coordinator', '127.0.0.1:1']);
    expect(required).toMatchObject({ code: 2 });
    expect(required.stderr.split('\n')[0]).toBe('accord participant enrol: --invitation is required');
  });

  it('accord --version prints the version in package.json', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
