/** A real headless participant node for tests: `accord participant serve` as a child process on its own ACCORD_HOME. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tempDir } from './participant-fixtures.ts';
import { within } from './wait-until.ts';

const accord = fileURLToPath(new URL('../../bin/accord.js', import.meta.url));

export interface HeadlessNodeProcess {
  readonly process: ChildProcess;
  readonly home: string;
  /** The URL it printed, with its access token. */
  readonly url: URL;
  output(): string;
  stop(): Promise<void>;
}

export async function startHeadlessNode(home = tempDir('accord-headless-')): Promise<HeadlessNodeProcess> {
  const child = spawn(process.execPath, [accord, 'participant', 'serve'], {
    env: { ...process.env, ACCORD_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const printed = new Promise<URL>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(text);
      if (match) resolve(new URL(match[0]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`the headless node exited before printing its URL:\n${text}`)));
  });
  const url = await within(printed, `the headless node printing its URL (output so far: ${text})`, 60_000);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return { process: child, home, url, output: () => text, stop };
}
