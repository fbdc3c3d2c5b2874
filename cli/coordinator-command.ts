/**
 * `accord coordinator init|certs|invite|run --config <file>`: set up a federation's folder, its CA and
 * certificates, print enrolment tokens, and run the coordinator until SIGINT/SIGTERM.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeSafetensorsFile } from '../engine/codec/safetensors.ts';
import { tensor } from '../engine/tensor/parameter-set.ts';
import { loadCoordinatorConfig } from '../coordinator/config/coordinator-config.ts';
import { Coordinator } from '../coordinator/coordinator.ts';
import { parseCommandLine } from './command-line/parse-command-line.ts';
import { UsageError } from './command-line/usage-error.ts';
import {
  createInvitation,
  federationPaths,
  initFederation,
  writeCertificates,
} from '../coordinator/setup/federation-files.ts';

const exampleConfig = {
  federation: { name: 'Example consortium' },
  dataDir: 'data',
  listen: { host: '0.0.0.0', port: 50051 },
  tls: { mutual: false },
  model: {
    spec: [
      { name: 'classifier.weight', shape: [2, 4] },
      { name: 'classifier.bias', shape: [2] },
    ],
    initialWeights: 'initial.safetensors',
  },
  task: 'sentiment',
  strategy: { name: 'fedavg' },
  updateEncoding: 'accord-update-v1',
  rounds: 10,
  participantsPerRound: { min: 2, max: 20 },
  roundDeadlineSeconds: 3600,
  dp: { clipNorm: 1, noiseMultiplier: 1.1, localSteps: 100, sampleRate: 0.01 },
  secureAggregation: false,
  training: { learningRate: 0.05, batchSize: 32 },
};

/** The configuration's folder, created when missing; a refusal says which folder and why. */
function ensureFolder(path: string): void {
  const folder = dirname(path);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`cannot create the folder ${folder} for the configuration (${reason})`, { cause: error });
  }
}

async function writeExample(path: string): Promise<void> {
  ensureFolder(path);
  writeFileSync(path, `${JSON.stringify(exampleConfig, null, 2)}\n`);
  const weights = new Map(exampleConfig.model.spec.map((spec) => [spec.name, tensor(spec.shape)]));
  await writeSafetensorsFile(join(dirname(path), 'initial.safetensors'), weights);
  console.log(`wrote an example configuration ${path} and zero initial weights; edit them, then run init again`);
}

const configOption = { config: { type: 'string', default: 'coordinator.json' } } as const;

async function run(configPath: string): Promise<void> {
  const config = loadCoordinatorConfig(configPath);
  const coordinator = await Coordinator.open(config);
  const port = await coordinator.start();
  console.log(
    `coordinator "${config.federation.name}" (${coordinator.context.federationId}) listening on ${config.listen.host}:${port} with ${config.tls.mutual ? 'mutual ' : ''}TLS`,
  );
  console.log(`round logs: ${join(config.dataDir, 'logs')}`);
  await new Promise<void>((done) => {
    const stop = () => void coordinator.stop().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function runCoordinatorInit(argv: string[]): Promise<void> {
  const configPath = resolve(parseCommandLine(argv, configOption).values.config);
  if (!existsSync(configPath)) return writeExample(configPath);
  const config = loadCoordinatorConfig(configPath);
  const { federationId } = initFederation(config);
  console.log(`federation ${federationId} initialised in ${config.dataDir}`);
}

export async function runCoordinatorCerts(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, {
    ...configOption,
    host: { type: 'string', multiple: true },
    client: { type: 'string' },
  });
  const config = loadCoordinatorConfig(resolve(values.config));
  const hosts = values.host ?? ['localhost', '127.0.0.1'];
  for (const path of await writeCertificates(config, hosts, values.client)) console.log(`wrote ${path}`);
  console.log(`participants trust ${federationPaths(config.dataDir).caCertificate}`);
}

export async function runCoordinatorInvite(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, {
    ...configOption,
    days: { type: 'string', default: '7' },
    note: { type: 'string', default: '' },
  });
  const days = Number(values.days);
  if (!(days > 0)) throw new UsageError(`--days must be a positive number, got "${values.days}"`);
  console.log(createInvitation(loadCoordinatorConfig(resolve(values.config)), days, values.note));
}

export async function runCoordinatorRun(argv: string[]): Promise<void> {
  await run(resolve(parseCommandLine(argv, configOption).values.config));
}
