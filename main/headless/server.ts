/**
 * Serves the renderer and the ParticipantApi on 127.0.0.1, for servers without a desktop.
 * Every request needs the start-up token; the WebSocket also needs our own Origin.
 */
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { ParticipantApi } from '../../preload/contract.ts';
import type { EventBus } from '../participant/events/event-bus.ts';
import { createAccessToken, isLoopbackHost, presentedToken, tokenCookie } from './access-token.ts';
import { serveApiSocket, type SocketErrorReport } from './api-socket.ts';
import { contentSecurityPolicy, rendererDistDir, resolveRendererAsset } from './renderer-assets.ts';

export interface HeadlessServerOptions {
  api: ParticipantApi;
  /** The participant's events, pushed to every connected socket. */
  events?: EventBus;
  port?: number;
  token?: string;
  rendererDir?: string;
  /** Told when a client's frame was refused and its socket closed (the node log records it). */
  onBadFrame?: SocketErrorReport;
}

export interface HeadlessServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
}

function serveAsset(
  request: IncomingMessage,
  response: ServerResponse,
  options: Required<Omit<HeadlessServerOptions, 'events' | 'onBadFrame'>>,
  port: number,
): void {
  if (!isLoopbackHost(request.headers.host, port)) return refuse(response, 421, 'unexpected Host header');
  const source = presentedToken(request, options.token);
  if (!source)
    return refuse(
      response,
      401,
      'Missing or wrong access token: open the URL that `accord participant serve` printed.',
    );
  const asset = resolveRendererAsset(request.url ?? '/', options.rendererDir);
  if (!asset) return refuse(response, 404, 'The UI is not built: run `npm run build:renderer`.');
  const headers: Record<string, string> = {
    'content-type': asset.contentType,
    'content-security-policy': contentSecurityPolicy(),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
  if (source === 'query') headers['set-cookie'] = tokenCookie(options.token);
  response.writeHead(200, headers);
  createReadStream(asset.file).pipe(response);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const settings = { port: 0, token: createAccessToken(), rendererDir: rendererDistDir, ...options };
  let port = 0;
  const server = createServer((request, response) => serveAsset(request, response, settings, port));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const origin = request.headers.origin;
    const originOk =
      origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    const allowed = isLoopbackHost(request.headers.host, port) && originOk && presentedToken(request, settings.token);
    if (!allowed || new URL(request.url ?? '/', 'http://localhost').pathname !== '/api') {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) =>
      serveApiSocket(ws, settings.api, settings.events, settings.onBadFrame),
    );
  });
  port = await listen(server, settings.port);
  return {
    url: `http://127.0.0.1:${port}/?token=${settings.token}`,
    port,
    token: settings.token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
