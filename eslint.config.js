// Lint enforces the architecture of docs/architecture.md (who may import whom) as well as style and size.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nativeOrTransport = ['electron', '@grpc/*', 'better-sqlite3', 'keytar', 'ws'];
/** Everything that stands on the engine: the engine imports none of it. */
const aboveEngine = ['protocol', 'main', 'coordinator', 'cli', 'preload', 'renderer'];
const coordinatorPackages = ['electron', 'keytar'];
const coordinatorForbidden = ['main', 'renderer', 'preload', 'cli'];

/** A no-restricted-imports rule: forbidden packages plus forbidden relative folders. */
function layer(packages, folders, extra = []) {
  return [
    'error',
    {
      patterns: [
        ...[...new Set(packages)].map((name) => ({
          group: [name, `${name}/*`],
          message: `this layer must not import ${name} (docs/architecture.md)`,
        })),
        ...folders.map((folder) => ({
          group: [`.*/**/${folder}/**`, `.*/**/${folder}`],
          message: `this layer must not import ${folder}/ (docs/architecture.md)`,
        })),
        ...extra,
      ],
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'release/',
      'test-results/',
      '**/*.d.ts',
      'test/fixtures/lint/',
      'protocol/gen/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 50, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.js'] },
      'import-x/ignore': ['\\.svelte$', 'node_modules'],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['engine/**'],
    rules: { 'no-restricted-imports': layer(nativeOrTransport, aboveEngine) },
  },
  {
    files: ['engine/**'],
    ignores: ['engine/runtime/**'],
    rules: {
      'no-restricted-imports': layer(
        nativeOrTransport,
        aboveEngine,
        [
          {
            group: ['onnxruntime-node', 'onnxruntime-*'],
            message: 'only engine/runtime imports onnxruntime (docs/architecture.md)',
          },
        ],
      ),
    },
  },
  {
    // The accord.v1 wire types and request signatures: shared by both sides, above the engine, below them.
    files: ['protocol/**'],
    rules: { 'no-restricted-imports': layer(nativeOrTransport, ['main', 'coordinator', 'cli', 'preload', 'renderer']) },
  },
  {
    files: ['main/participant/**', 'main/headless/**'],
    rules: { 'no-restricted-imports': layer(['electron'], ['coordinator', 'renderer', 'electron', 'cli']) },
  },
  {
    // The participation loops stand on the node's services (participant-node.ts); only the API sits above them.
    files: ['main/participant/**'],
    ignores: ['main/participant/participation/**', 'main/participant/api/**'],
    rules: {
      'no-restricted-imports': layer(['electron'], ['coordinator', 'renderer', 'electron', 'cli', 'participation']),
    },
  },
  {
    files: ['main/electron/**'],
    rules: { 'no-restricted-imports': layer([], ['coordinator', 'renderer', 'cli']) },
  },
  {
    files: ['coordinator/**'],
    rules: { 'no-restricted-imports': layer(coordinatorPackages, coordinatorForbidden) },
  },
  {
    // The round machine drives secure aggregation, not the reverse; both stand on the checkpoint writer
    // and the change signal.
    files: ['coordinator/secagg/**'],
    rules: { 'no-restricted-imports': layer(coordinatorPackages, [...coordinatorForbidden, 'rounds', 'server']) },
  },
  {
    files: ['coordinator/checkpoints/**', 'coordinator/events/**'],
    rules: {
      'no-restricted-imports': layer(coordinatorPackages, [...coordinatorForbidden, 'rounds', 'secagg', 'server']),
    },
  },
  {
    // The `accord` command: thin adapters over every room but the renderer; nothing imports it.
    files: ['cli/**'],
    rules: { 'no-restricted-imports': layer(['electron'], ['renderer', 'electron']) },
  },
  {
    files: ['preload/**'],
    rules: { 'no-restricted-imports': layer([], ['main', 'coordinator', 'renderer', 'engine', 'protocol', 'cli']) },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': layer(
        ['electron', 'node:*', 'onnxruntime-node', ...nativeOrTransport],
        ['main', 'coordinator', 'engine', 'protocol', 'cli'],
        [
          {
            group: ['**/preload/*', '!**/preload/contract.ts'],
            message: 'the renderer imports only preload/contract.ts',
          },
        ],
      ),
    },
  },
  {
    files: ['renderer/**/*.svelte'],
    rules: { 'max-lines': ['error', { max: 150, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['test/**', 'scripts/**'],
    rules: { 'max-lines-per-function': 'off' },
  },
);
