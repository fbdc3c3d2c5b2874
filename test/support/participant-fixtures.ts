/** Temp data folders, sample datasets and a fully wired participant node for the participant's tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  attachRoundRunner,
  openParticipantNode,
  type ParticipantNode,
} from '../../main/participant/participant-node.ts';
import type { Dataset } from '../../main/participant/datasets/dataset-registry.ts';
import type { ManagedPolicy } from '../../main/participant/policy/managed-policy-schema.ts';
import type { RoundRunner } from '../../main/participant/rounds/round-runner.ts';
import { FakeCoordinator } from './fake-coordinator.ts';
import { FakeTrainer } from './fake-trainer.ts';

export function tempDir(prefix = 'accord-participant-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeSentimentCsv(dir: string, name = 'reviews.csv', rows = 6): string {
  const file = join(dir, name);
  const lines = ['text,label'];
  for (let i = 0; i < rows; i++) lines.push(`"review number ${i}, quite ${i % 2 ? 'good' : 'bad'}",${i % 2}`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** The sample reviews (writeSentimentCsv) registered on a node as the "reviews" sentiment dataset. */
export function registerSampleReviews(node: ParticipantNode, home: string): Promise<Dataset> {
  return node.datasets.register({
    name: 'reviews',
    path: writeSentimentCsv(home),
    task: 'sentiment',
    format: 'csv',
    columns: { text: 'text', label: 'label' },
  });
}

export interface WiredParticipant {
  home: string;
  node: ParticipantNode;
  coordinator: FakeCoordinator;
  trainer: FakeTrainer;
  runner: RoundRunner;
  datasetId: string;
}

/** A node with one registered sentiment dataset (budget ε, δ) and a runner on a fake coordinator. */
export async function wiredParticipant(
  options: {
    epsilon?: number;
    delta?: number;
    home?: string;
    trainer?: FakeTrainer;
    now?: () => Date;
    policy?: ManagedPolicy | null;
  } = {},
): Promise<WiredParticipant> {
  const home = options.home ?? tempDir();
  const node = openParticipantNode({ home, policy: options.policy });
  const coordinator = new FakeCoordinator(join(home, 'coordinator.sqlite'));
  const trainer = options.trainer ?? new FakeTrainer();
  const runner = attachRoundRunner(node, {
    link: coordinator,
    trainer,
    now: options.now,
  });
  const dataset = await registerSampleReviews(node, home);
  node.ledger.setBudget(dataset.id, options.epsilon ?? 8, options.delta ?? 1e-5);
  return { home, node, coordinator, trainer, runner, datasetId: dataset.id };
}
