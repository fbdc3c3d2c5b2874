/**
 * `accord coordinator init|certs|invite|run --config <file>`: set up a federation's folder, its CA and
 * certificates, print enrolment tokens, and run the coordinator until SIGINT/SIGTERM.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeSafetensorsFile } from '../engine/codec/safetensors.ts';
import { tensor } from '../engine/tensor/parameter-set.ts';
import { loadCoordinatorConfig } from '../coordinator/config/coordinator-config.ts';
import { Coordinator } from '../coordinator/coordinator.ts';
import { createInvitation, federationPaths, initFederation, writeCertificates } from '../coordinator/setup/federation-files.ts';

const usage = `usage: accord coordinator <command> --config <file>
  init    [--config coordinator.json]            create the data folder, store and receipt key (writes an example config if none)
  certs   [--host <name|ip>]… [--client <name>]  create the CA and the server certificate (and a client certificate for mutual TLS)
  invite  [--days 7] [--note <text>]             print a one-time enrolment token
  run                                            serve the federation (TLS) and run its rounds`;

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

async function writeExample(path: string): Promise<void> {
  writeFileSync(path, `${JSON.stringify(exampleConfig, null, 2)}\n`);
  const weights = new Map(exampleConfig.model.spec.map((spec) => [spec.name, tensor(spec.shape)]));
  await writeSafetensorsFile(join(dirname(path), 'initial.safetensors'), weights);
  console.log(`wrote an example configuration ${path} and zero initial weights; edit them, then run init again`);
}

type Options = { config: string; host?: string[]; client?: string; days?: string; note?: string };

async function run(options: Options): Promise<void> {
  const config = loadCoordinatorConfig(options.config);
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

export async function runCoordinatorCommand(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      config: { type: 'string', default: 'coordinator.json' },
      host: { type: 'string', multiple: true },
      client: { type: 'string' },
      days: { type: 'string', default: '7' },
      note: { type: 'string', default: '' },
    },
  });
  const options = values as Options;
  const configPath = resolve(options.config);
  if (command === 'init') {
    if (!existsSync(configPath)) return writeExample(configPath);
    const config = loadCoordinatorConfig(configPath);
    const { federationId } = initFederation(config);
    console.log(`federation ${federationId} initialised in ${config.dataDir}`);
  } else if (command === 'certs') {
    const config = loadCoordinatorConfig(configPath);
    const hosts = options.host ?? ['localhost', '127.0.0.1'];
    for (const path of await writeCertificates(config, hosts, options.client)) console.log(`wrote ${path}`);
    console.log(`participants trust ${federationPaths(config.dataDir).caCertificate}`);
  } else if (command === 'invite') {
    const days = Number(options.days);
    if (!(days > 0)) throw new Error(`--days must be a positive number, got "${options.days}"`);
    console.log(createInvitation(loadCoordinatorConfig(configPath), days, options.note));
  } else if (command === 'run') {
    await run({ ...options, config: configPath });
  } else {
    throw new Error(`unknown coordinator command "${command ?? ''}"\n${usage}`);
  }
}
