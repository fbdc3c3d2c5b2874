/**
 * A federation on one machine from the shipped sample data (UCI Sentiment Labelled Sentences): a union
 * test set held out, the rest split non-IID among participants by a seeded Dirichlet(alpha) over labels,
 * each shard written as its own TSV file; and a coordinator folder (config, initial weights, CA and
 * server certificate) for the engine's federated text classifier. Used by `npm run demo` and the tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCoordinatorConfig } from '../../coordinator/config/coordinator-config.ts';
import type { CoordinatorConfig } from '../../coordinator/config/coordinator-config.ts';
import { initFederation, writeCertificates } from '../../coordinator/setup/federation-files.ts';
import { writeSafetensorsFile } from '../../engine/codec/safetensors.ts';
import { partitionDirichlet } from '../../engine/data/partition.ts';
import { SeededRandom } from '../../engine/random/seeded-random.ts';
import { initializeClassifierParameters } from '../../engine/nn/classifier.ts';
import { federatedBagDefaults } from '../../engine/train/federated-defaults.ts';
import {
  federatedClassifierConfig,
  federatedClassifierSettings,
  readLabelledTexts,
} from '../../engine/train/federated-classifier.ts';
import type { LabelledText, TrainingSettings } from '../../engine/train/federated-classifier.ts';

const sampleDir = fileURLToPath(new URL('../../resources/datasets/sentiment/', import.meta.url));

/** The federated default model (engine/train/federated-defaults.ts) for the sample's two labels. */
export const sampleTraining: TrainingSettings = { labels: '0,1', ...federatedBagDefaults };

/**
 * Every site's privacy over the demo's 12 rounds: 120 steps of the sampled Gaussian mechanism at q = 0.5 and
 * σ = 4 spend ε ≈ 7.05 at δ = 1e-5. Clipping at 0.1 binds for nearly every example, so each counts equally.
 */
export const sampleDp = { clipNorm: 0.1, noiseMultiplier: 4, sampleRate: 0.5, localSteps: 10 };

export interface SampleSplit {
  /** One TSV file (columns text, label) per participant. */
  readonly shards: { readonly path: string; readonly examples: number; readonly labelCounts: Record<string, number> }[];
  readonly test: LabelledText[];
}

function writeShard(path: string, texts: readonly LabelledText[]): void {
  // RFC 4180 quoting, as the readers expect: a sentence may hold quotes.
  const field = (text: string) => `"${text.replace(/[\t\r\n]+/g, ' ').replace(/"/g, '""')}"`;
  writeFileSync(path, `text\tlabel\n${texts.map((t) => `${field(t.text)}\t${t.label}`).join('\n')}\n`);
}

export async function splitSampleData(
  dir: string,
  options: { participants: number; alpha: number; seed: number; testFraction?: number; minPerParticipant?: number },
): Promise<SampleSplit> {
  const all: LabelledText[] = [];
  for (const name of ['amazon', 'yelp', 'imdb'])
    all.push(...(await readLabelledTexts(join(sampleDir, `${name}.tsv`), { text: 'text', label: 'label' })));
  const shuffled = new SeededRandom(`split-${options.seed}`).shuffle(all);
  const testCount = Math.round(shuffled.length * (options.testFraction ?? 0.2));
  const test = shuffled.slice(0, testCount);
  const parts = partitionDirichlet(shuffled.slice(testCount), (text) => text.label, {
    participants: options.participants,
    alpha: options.alpha,
    seed: options.seed,
    minPerParticipant: options.minPerParticipant ?? 150,
  });
  const shards = parts.map((part, index) => {
    const path = join(dir, `participant-${index + 1}.tsv`);
    writeShard(path, part);
    const labelCounts: Record<string, number> = {};
    for (const text of part) labelCounts[text.label] = (labelCounts[text.label] ?? 0) + 1;
    return { path, examples: part.length, labelCounts };
  });
  return { shards, test };
}

export interface SampleCoordinatorOptions {
  readonly rounds: number;
  readonly participantsPerRound: { min: number; max: number };
  readonly roundDeadlineSeconds: number;
  readonly seed: number;
  readonly training?: TrainingSettings;
  readonly dp?: typeof sampleDp;
  readonly name?: string;
}

/** Writes coordinator.json, the initial weights, the store and the certificates under dir. */
export async function writeSampleCoordinator(
  dir: string,
  options: SampleCoordinatorOptions,
): Promise<{ config: CoordinatorConfig; configPath: string }> {
  const training = options.training ?? sampleTraining;
  mkdirSync(dir, { recursive: true });
  const weights = initializeClassifierParameters(
    federatedClassifierConfig(federatedClassifierSettings(training)),
    options.seed,
  );
  await writeSafetensorsFile(join(dir, 'initial.safetensors'), weights);
  const raw = {
    federation: { name: options.name ?? 'Sentiment consortium (demo)' },
    listen: { host: '127.0.0.1', port: 0 },
    model: {
      spec: [...weights].map(([name, value]) => ({ name, shape: value.shape })),
      initialWeights: 'initial.safetensors',
    },
    task: 'sentiment',
    strategy: { name: 'fedavg' },
    rounds: options.rounds,
    participantsPerRound: options.participantsPerRound,
    roundDeadlineSeconds: options.roundDeadlineSeconds,
    dp: options.dp ?? sampleDp,
    training,
    limits: { maxPollSeconds: 5 },
  };
  const configPath = join(dir, 'coordinator.json');
  writeFileSync(configPath, `${JSON.stringify(raw, null, 2)}\n`);
  const config = parseCoordinatorConfig(raw, dir, configPath);
  initFederation(config);
  await writeCertificates(config, ['127.0.0.1', 'localhost']);
  return { config, configPath };
}
