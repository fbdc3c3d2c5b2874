/**
 * The headless UI is reachable only with the random token printed at start-up. The first request
 * carries it in the query string; the server then sets it as a strict, HttpOnly cookie.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const tokenCookieName = 'accord_token';

export function createAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export type TokenSource = 'query' | 'cookie';

/** Where a valid token came from, or undefined when the request has none that matches. */
export function presentedToken(request: IncomingMessage, expected: string): TokenSource | undefined {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (sameSecret(expected, url.searchParams.get('token'))) return 'query';
  if (sameSecret(expected, cookieValue(request.headers.cookie, tokenCookieName))) return 'cookie';
  return undefined;
}

export function tokenCookie(token: string): string {
  return `${tokenCookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Refuses DNS-rebinding: the Host header must name the loopback address we listen on. */
export function isLoopbackHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`;
}
