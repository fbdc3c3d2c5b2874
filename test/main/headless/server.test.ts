import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createParticipantApi } from '../../../main/participant/api/participant-api.ts';
import { startHeadlessServer, type HeadlessServer } from '../../../main/headless/server.ts';

let server: HeadlessServer;
const base = () => `http://127.0.0.1:${server.port}`;

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'accord-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Accord</title>');
  server = await startHeadlessServer({ api: createParticipantApi(), rendererDir });
});
afterAll(() => server.close());

/** Opens a socket and resolves with the first reply to `frame`, or rejects when the upgrade is refused. */
function ask(headers: Record<string, string>, frame: string, path = '/api'): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
    socket.on('open', () => socket.send(frame));
    socket.on('message', (data) => {
      resolve(JSON.parse(data.toString()));
      socket.close();
    });
    socket.on('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.on('error', reject);
  });
}

describe('headless server', () => {
  it('refuses a page request without the token', async () => {
    expect((await fetch(`${base()}/`)).status).toBe(401);
  });

  it('refuses a wrong token', async () => {
    expect((await fetch(`${base()}/?token=${'x'.repeat(server.token.length)}`)).status).toBe(401);
  });

  it('serves the page with the token and sets a strict cookie with a CSP', async () => {
    const response = await fetch(`${base()}/?token=${server.token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses a request whose Host is not loopback (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request({ port: server.port, path: `/?token=${server.token}`, headers: { host: 'attacker.example' } }, (res) =>
        resolve(res.statusCode ?? 0),
      ).end();
    });
    expect(status).toBe(421);
  });

  it('refuses a WebSocket without the token', async () => {
    await expect(ask({}, '{}')).rejects.toThrow('HTTP 401');
  });

  it('refuses a WebSocket from a foreign origin even with the cookie', async () => {
    const headers = { cookie: `accord_token=${server.token}`, origin: 'https://evil.example' };
    await expect(ask(headers, '{}')).rejects.toThrow('HTTP 401');
  });

  it('answers the contract over the WebSocket with the cookie', async () => {
    const headers = { cookie: `accord_token=${server.token}`, origin: base() };
    const reply = await ask(headers, JSON.stringify({ id: 7, method: 'app.info', payload: {} }));
    expect(reply).toMatchObject({ id: 7, ok: true, value: { name: 'Accord', platform: process.platform } });
  });

  it('answers a malformed frame with a bad_request error', async () => {
    const reply = await ask({ cookie: `accord_token=${server.token}` }, 'not json');
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});
