/**
 * Resolves a request path to a file of the built renderer, refusing anything outside it.
 * Used by the headless HTTP server and by Electron's app:// protocol.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const rendererDistDir = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The strict policy both transports send with every document (Electron's security checklist). */
export function contentSecurityPolicy(connectSources: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // No 'unsafe-inline': the Svelte build puts every style in its CSS file and sets none in markup.
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...connectSources].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export interface RendererAsset {
  file: string;
  contentType: string;
}

/** Maps "/", "/index.html" or "/assets/x.js" to a file; unknown routes fall back to index.html. */
export function resolveRendererAsset(urlPath: string, root: string = rendererDistDir): RendererAsset | undefined {
  const rootDir = resolve(root);
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  const candidate = resolve(join(rootDir, normalize(decoded)));
  if (candidate !== rootDir && !candidate.startsWith(rootDir + sep)) return undefined;
  const isFile = existsSync(candidate) && statSync(candidate).isFile();
  const file = isFile ? candidate : join(rootDir, 'index.html');
  if (!existsSync(file)) return undefined;
  return { file, contentType: mimeTypes[extname(file)] ?? 'application/octet-stream' };
}
