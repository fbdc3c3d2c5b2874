/**
 * Bundles the Electron main process (ESM) and the sandboxed preload (CommonJS, as Electron's
 * sandbox requires) into dist/electron. Native modules stay external and load from node_modules.
 */
import { build } from 'esbuild';

const external = ['electron', 'better-sqlite3', 'keytar', 'onnxruntime-node', '@grpc/grpc-js'];

await build({
  entryPoints: ['main/electron/main.ts'],
  outfile: 'dist/electron/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external,
  sourcemap: true,
  banner: {
    js: "import { createRequire as __accordRequire } from 'node:module'; const require = __accordRequire(import.meta.url);",
  },
});

await build({
  entryPoints: ['preload/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
});

process.stdout.write('built dist/electron/main.js and dist/electron/preload.cjs\n');
