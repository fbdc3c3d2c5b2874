/**
 * `accord coordinator init|certs|invite|run --config <file>`: set up a federation's folder, its CA and
 * certificates, print enrolment tokens, and run the coordinator until SIGINT/SIGTERM.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeSafetensorsFile } from '../engine/codec/safetensors.ts';
import { loadCoordinatorConfig, parseCoordinatorConfig } from '../coordinator/config/coordinator-config.ts';
import type { CoordinatorConfig } from '../coordinator/config/coordinator-config.ts';
import { initialWeightsFile, parseFederationJob, prepareFederation } from '../coordinator/setup/federation-job.ts';
import type { FederationJob } from '../coordinator/setup/federation-job.ts';
import { Coordinator } from '../coordinator/coordinator.ts';
import { parseCommandLine } from './command-line/parse-command-line.ts';
import { UsageError } from './command-line/usage-error.ts';
import {
  createInvitation,
  federationPaths,
  initFederation,
  writeCertificates,
} from '../coordinator/setup/federation-files.ts';

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

function readJob(path: string): FederationJob {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseFederationJob(raw, path);
}

/** Writes the configuration and round 0's weights for a job, validated whole before anything is written. */
async function writeJobFiles(job: FederationJob, source: string, configPath: string): Promise<CoordinatorConfig> {
  const { config, initialWeights } = prepareFederation(job, source);
  const parsed = parseCoordinatorConfig(config, dirname(configPath), source);
  ensureFolder(configPath);
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  await writeSafetensorsFile(join(dirname(configPath), initialWeightsFile), initialWeights);
  return parsed;
}

function modelSummary(config: CoordinatorConfig): string {
  const parameters = config.model.spec.reduce((sum, { shape }) => sum + shape.reduce((n, d) => n * d, 1), 0);
  return `${config.model.spec.length} tensors, ${parameters.toLocaleString('en')} parameters, labels ${String(config.training.labels)}`;
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
  const { values } = parseCommandLine(argv, {
    ...configOption,
    job: { type: 'string' },
    labels: { type: 'string', default: '0,1' },
  });
  const configPath = resolve(values.config);
  if (values.job !== undefined) {
    if (existsSync(configPath))
      throw new Error(`${configPath} already exists: a job writes a new configuration (choose another --config)`);
    const config = await writeJobFiles(readJob(resolve(values.job)), values.job, configPath);
    const { federationId } = initFederation(config);
    console.log(`wrote ${configPath} and round 0's weights (${modelSummary(config)})`);
    return console.log(`federation ${federationId} initialised in ${config.dataDir}; next: accord coordinator certs`);
  }
  if (!existsSync(configPath)) {
    const labels = values.labels.split(',').map((label) => label.trim());
    const job = parseFederationJob({ federation: { name: 'Example consortium' }, labels }, '--labels');
    const config = await writeJobFiles(job, '--labels', configPath);
    return console.log(
      `wrote an example configuration ${configPath} with seeded initial weights (${modelSummary(config)}); edit it, then run init again`,
    );
  }
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
