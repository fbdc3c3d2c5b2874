/** Child processes for fault tests: started with node, their output watched, killed with SIGKILL. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface WatchedChild {
  readonly process: ChildProcess;
  output(): string;
  /** Resolves when the output matches; rejects, with the output so far, if the process exits first or `timeoutMs` pass. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

export function startChild(args: readonly string[]): WatchedChild {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    listeners.forEach((listener) => listener());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`the child printed nothing matching ${pattern} within ${timeoutMs} ms:\n${text}`));
      }, timeoutMs);
      const check = () => {
        const match = text.match(pattern);
        if (match) {
          clearTimeout(timer);
          listeners.delete(check);
          resolve(match);
        }
      };
      listeners.add(check);
      check();
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`child exited (${code}) before ${pattern}:\n${text}`));
      });
    });
  return { process: child, output: () => text, waitFor, exited };
}

export async function killChild(child: WatchedChild): Promise<void> {
  child.process.kill('SIGKILL');
  await child.exited;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
