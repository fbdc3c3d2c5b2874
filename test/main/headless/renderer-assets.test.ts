import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRendererAsset } from '../../../main/headless/renderer-assets.ts';

const root = mkdtempSync(join(tmpdir(), 'accord-assets-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html>');
writeFileSync(join(root, 'assets', 'app.js'), '');
writeFileSync(join(tmpdir(), 'accord-secret.txt'), 'secret');

describe('resolveRendererAsset', () => {
  it('serves a built asset with its content type', () => {
    expect(resolveRendererAsset('/assets/app.js', root)).toEqual({
      file: join(root, 'assets', 'app.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
  });

  it('falls back to index.html for an unknown route', () => {
    expect(resolveRendererAsset('/rounds?x=1', root)?.file).toBe(join(root, 'index.html'));
  });

  it('never leaves the renderer folder', () => {
    for (const path of ['/../accord-secret.txt', '/%2e%2e/accord-secret.txt', '/assets/../../accord-secret.txt']) {
      expect(resolveRendererAsset(path, root)?.file ?? join(root, 'index.html')).toBe(join(root, 'index.html'));
    }
  });
});
