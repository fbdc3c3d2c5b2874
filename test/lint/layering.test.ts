/** Proves that lint enforces docs/architecture.md's dependency directions, by linting code placed in each layer. */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint', () => {
  it.each([
    ['engine/graph/fixture.ts', "import { app } from 'electron';"],
    ['engine/train/fixture.ts', "import Database from 'better-sqlite3';"],
    ['engine/nn/fixture.ts', "import * as grpc from '@grpc/grpc-js';"],
    ['engine/graph/fixture.ts', "import * as ort from 'onnxruntime-node';"],
    ['main/participant/fixture.ts', "import { app } from 'electron';"],
    ['main/participant/fixture.ts', "import { x } from '../../coordinator/server.ts';"],
    ['coordinator/fixture.ts', "import { x } from '../main/participant/api/dispatch.ts';"],
    ['renderer/src/fixture.ts', "import { readFileSync } from 'node:fs';"],
    ['renderer/src/fixture.ts', "import { x } from '../../engine/runtime/execution-providers.ts';"],
    ['renderer/src/fixture.ts', "import { x } from '../../preload/preload.ts';"],
    ['engine/train/fixture.ts', "import { x } from '../../protocol/receipt.ts';"],
    ['engine/train/fixture.ts', "import { x } from '../../cli/train/train-command.ts';"],
    ['protocol/fixture.ts', "import { x } from '../main/participant/participant-node.ts';"],
    ['protocol/fixture.ts', "import { x } from '../coordinator/coordinator.ts';"],
    ['protocol/fixture.ts', "import * as grpc from '@grpc/grpc-js';"],
    ['coordinator/fixture.ts', "import { x } from '../cli/coordinator-command.ts';"],
    ['main/participant/fixture.ts', "import { x } from '../../cli/participant/participant-cli.ts';"],
    ['main/participant/rounds/fixture.ts', "import { x } from '../participation/participation.ts';"],
    ['main/participant/fixture.ts', "import { x } from './participation/participation.ts';"],
    ['preload/fixture.ts', "import { x } from '../protocol/receipt.ts';"],
    ['coordinator/secagg/fixture.ts', "import { x } from '../rounds/round-log.ts';"],
    ['coordinator/secagg/fixture.ts', "import { x } from '../main/participant/participant-node.ts';"],
    ['coordinator/checkpoints/fixture.ts', "import { x } from '../secagg/secure-aggregation-rounds.ts';"],
    ['coordinator/events/fixture.ts', "import { x } from '../rounds/round-machine.ts';"],
  ])('refuses %s: %s', async (filePath, code) => {
    expect(await restrictedImports(filePath, `${code}\nexport const used = 1;\n`)).toHaveLength(1);
  });

  it.each([
    ['engine/runtime/fixture.ts', "import * as ort from 'onnxruntime-node';"],
    ['renderer/src/fixture.ts', "import { methods } from '../../preload/contract.ts';"],
    ['main/electron/fixture.ts', "import { app } from 'electron';"],
    ['main/participant/fixture.ts', "import { x } from '../../engine/runtime/execution-providers.ts';"],
    ['protocol/fixture.ts', "import { x } from '../engine/tensor/parameter-set.ts';"],
    ['coordinator/fixture.ts', "import { x } from '../protocol/receipt.ts';"],
    ['main/participant/fixture.ts', "import { x } from '../../protocol/receipt.ts';"],
    ['cli/fixture.ts', "import { x } from '../coordinator/coordinator.ts';"],
    ['cli/fixture.ts', "import { x } from '../main/participant/participant-node.ts';"],
    ['main/participant/participation/fixture.ts', "import { x } from '../participant-node.ts';"],
    ['main/participant/api/fixture.ts', "import { x } from '../participation/participation.ts';"],
    ['coordinator/rounds/fixture.ts', "import { x } from '../secagg/secure-aggregation-rounds.ts';"],
    ['coordinator/secagg/fixture.ts', "import { x } from '../events/change-signal.ts';"],
    ['coordinator/rounds/fixture.ts', "import { x } from '../checkpoints/checkpoint-file.ts';"],
  ])('allows %s: %s', async (filePath, code) => {
    expect(await restrictedImports(filePath, `${code}\nexport const used = 1;\n`)).toEqual([]);
  });

  it('refuses an import cycle', async () => {
    const unignored = new ESLint({ cwd: process.cwd(), ignore: false });
    const [result] = await unignored.lintFiles(['test/fixtures/lint/cycle-a.ts']);
    expect(result?.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle');
  });
});
