/** Serves the built renderer over app://accord/ instead of file:// (Electron security checklist). */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentSecurityPolicy, resolveRendererAsset } from '../headless/renderer-assets.ts';

export function registerAppSchemeAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRendererOverAppProtocol(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const asset = url.host === 'accord' ? resolveRendererAsset(url.pathname) : undefined;
    if (!asset) return new Response('not found', { status: 404 });
    return new Response(await readFile(asset.file), {
      headers: { 'content-type': asset.contentType, 'content-security-policy': contentSecurityPolicy() },
    });
  });
}
