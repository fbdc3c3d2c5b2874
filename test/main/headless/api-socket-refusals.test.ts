/**
 * A client with the token that sends a frame the socket cannot take (too big, invalid UTF-8) loses its own
 * socket, with the close code that says why; the headless node, a real `accord participant serve` process,
 * goes on serving every other client.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startHeadlessNode, type HeadlessNodeProcess } from '../../support/headless-node.ts';
import { within } from '../../support/wait-until.ts';

let node: HeadlessNodeProcess;

beforeAll(async () => {
  node = await startHeadlessNode();
});
afterAll(() => node.stop());

function connect(): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${node.url.port}/api${node.url.search}`);
  return within(
    new Promise<WebSocket>((resolve, reject) => {
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    }),
    'the WebSocket to the headless node opening',
  );
}

/** Sends one frame and resolves with the code the node closed the socket with. */
async function closeCodeAfter(send: (socket: WebSocket) => void): Promise<number> {
  const socket = await connect();
  // The client may see its own socket reset after the close frame; only the code matters here.
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  send(socket);
  return within(closed, 'the node closing the socket that sent a bad frame');
}

async function appInfo(): Promise<unknown> {
  const socket = await connect();
  const reply = new Promise<unknown>((resolve) =>
    socket.once('message', (data) => resolve(JSON.parse(data.toString()))),
  );
  socket.send(JSON.stringify({ id: 1, method: 'app.info', payload: {} }));
  const answer = await within(reply, 'a reply to app.info from the headless node');
  socket.close();
  return answer;
}

describe('headless WebSocket refusals', () => {
  it('closes a socket that sent 2 MiB with 1009, one that sent invalid UTF-8 with 1007, and serves on', async () => {
    expect(await closeCodeAfter((socket) => socket.send('x'.repeat(2 * 1024 * 1024)))).toBe(1009);
    const invalidUtf8 = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    expect(await closeCodeAfter((socket) => socket.send(invalidUtf8, { binary: false }))).toBe(1007);
    expect(await appInfo()).toMatchObject({ id: 1, ok: true, value: { name: 'Accord' } });
    expect(node.process.exitCode).toBeNull();
    const log = readFileSync(join(node.home, 'logs', 'participant.log'), 'utf8');
    expect(log).toContain('refused a WebSocket frame');
  });
});
