import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/** One project per runtime area; tests mirror the source tree under test/. */
function area(name: string, extra: Record<string, unknown> = {}) {
  return { test: { name, include: [`test/${name}/**/*.test.ts`], environment: 'node', ...extra } };
}

export default defineConfig({
  test: {
    projects: [
      area('engine', { testTimeout: 60_000 }),
      area('protocol'),
      area('main', { testTimeout: 30_000 }),
      area('cli', { testTimeout: 60_000 }),
      area('coordinator', { testTimeout: 60_000 }),
      area('preload'),
      { plugins: [svelte({ configFile: 'renderer/svelte.config.js' })], ...area('renderer') },
      area('lint', { testTimeout: 60_000 }),
      area('docs'),
      area('resources'),
      area('e2e', {
        testTimeout: 120_000,
        hookTimeout: 60_000,
        fileParallelism: false,
        expect: { poll: { timeout: 10_000 } },
      }),
    ],
  },
});
