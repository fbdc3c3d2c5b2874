/**
 * `npm run demo [-- --auto] [--rounds N] [--alpha A] [--seed S] [--learning-rate LR]`: a federation on this machine. A coordinator
 * (its own temp folder, CA and certificates, config, the sample model) and three participants, each with its
 * own ACCORD_HOME, keychain service and shard of the sample sentiment data (split non-IID by Dirichlet(alpha),
 * a union test set held out). Two approve by policy; the third asks a person in its UI (URL printed), unless
 * --auto. Prints each round's participation and the global model's accuracy on the union test set.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Coordinator } from '../coordinator/coordinator.ts';
import { createInvitation, federationPaths, initFederation } from '../coordinator/setup/federation-files.ts';
import { readSafetensorsFile } from '../engine/codec/safetensors.ts';
import { loadTokenizer } from '../engine/data/tokenizer.ts';
import {
  encodeLabelledTexts,
  evaluateFederatedClassifier,
  federatedClassifierSettings,
  federatedTokenizerPath,
} from '../engine/train/federated-classifier.ts';
import { startHeadlessServer } from '../main/headless/server.ts';
import type { HeadlessServer } from '../main/headless/server.ts';
import { KeytarCredentialStore } from '../main/participant/keychain/keytar-credential-store.ts';
import { sampleTraining, splitSampleData, writeSampleCoordinator } from './demo/sample-federation.ts';
import { startSampleParticipant } from './demo/sample-participant.ts';
import type { SampleParticipant } from './demo/sample-participant.ts';
import { watchRounds } from './demo/round-watch.ts';
import { ensureKeychain } from './demo/keychain-check.ts';

const { values } = parseArgs({
  options: {
    auto: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '12' },
    alpha: { type: 'string', default: '0.5' },
    seed: { type: 'string', default: '7' },
    'learning-rate': { type: 'string', default: String(sampleTraining.learningRate) },
  },
});
const rounds = Number(values.rounds);
const alpha = Number(values.alpha);
const seed = Number(values.seed);
const sites = [
  { name: 'hospital-a', approval: 'policy' as const },
  { name: 'bank-b', approval: 'policy' as const },
  { name: 'agency-c', approval: values.auto ? ('policy' as const) : ('person' as const) },
];
const say = (line: string) => process.stdout.write(`${line}\n`);

await ensureKeychain(say, `npm run demo${values.auto ? ' -- --auto' : ''}`);
const dir = mkdtempSync(join(tmpdir(), 'accord-demo-'));
const participants: SampleParticipant[] = [];
const stores: KeytarCredentialStore[] = [];
let coordinator: Coordinator | undefined;
let server: HeadlessServer | undefined;
let cleaning: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    await server?.close();
    await Promise.allSettled(participants.map((participant) => participant.close()));
    await coordinator?.stop();
    await Promise.allSettled(stores.map((store) => store.delete('identity.ed25519')));
    rmSync(dir, { recursive: true, force: true });
  })();
  return cleaning;
}
process.once('SIGINT', () => {
  say('\nStopping: closing the participants and the coordinator, removing the demo folder and keychain entries…');
  void cleanUp().finally(() => process.exit(130));
});

try {
  const split = await splitSampleData(dir, { participants: sites.length, alpha, seed });
  const { config } = await writeSampleCoordinator(join(dir, 'coordinator'), {
    rounds,
    participantsPerRound: { min: 2, max: 3 },
    roundDeadlineSeconds: values.auto ? 300 : 900,
    seed,
    training: { ...sampleTraining, learningRate: Number(values['learning-rate']) },
  });
  coordinator = await Coordinator.open(config);
  const address = `127.0.0.1:${await coordinator.start()}`;
  const { federationId } = initFederation(config);
  const caCertificatePem = readFileSync(federationPaths(config.dataDir).caCertificate, 'utf8');
  say(`Coordinator "${config.federation.name}" on ${address} (TLS, its own CA), folder ${dir}`);
  say(
    `Union test set: ${split.test.length} sentences; shards split by Dirichlet(${alpha}) over labels (seed ${seed}):`,
  );
  for (const [index, site] of sites.entries()) {
    const shard = split.shards[index]!;
    const counts = Object.entries(shard.labelCounts)
      .map(([label, n]) => `label ${label}: ${n}`)
      .join(', ');
    const credentials = new KeytarCredentialStore(`Accord demo ${site.name} ${randomUUID()}`);
    stores.push(credentials);
    const home = join(dir, site.name);
    mkdirSync(home, { recursive: true });
    const invitation = createInvitation(config, 1, site.name);
    const coordinatorInfo = { address, caCertificatePem, federationId, invitation };
    const participant = await startSampleParticipant({
      name: site.name,
      home,
      credentials,
      shardPath: shard.path,
      approval: site.approval,
      epsilonBudget: 10,
      delta: 1e-5,
      coordinator: coordinatorInfo,
    });
    participants.push(participant);
    say(
      `  ${site.name}: ${shard.examples} sentences (${counts}); approves ${site.approval === 'policy' ? 'by policy' : 'when a person says so'}; ACCORD_HOME=${home}`,
    );
    if (site.approval === 'person') {
      server = await startHeadlessServer({ api: participant.api, events: participant.node.events });
      say(`    ${site.name} asks a person: open ${server.url} and approve or decline each round.`);
    }
  }
  const settings = federatedClassifierSettings(config.training);
  const test = encodeLabelledTexts(loadTokenizer(federatedTokenizerPath), split.test, settings);
  const accuracyOf = async (path: string) =>
    (await evaluateFederatedClassifier(await readSafetensorsFile(path), settings, test)).accuracy;
  await watchRounds({ coordinator, rounds, participants, accuracyOf, say });
  for (const participant of participants) {
    const budget = await participant.api['budget.show']({ datasetId: participant.datasetId });
    say(
      `  ${participant.name}: ε spent ${budget.spent.toFixed(2)} of ${budget.epsilon} (δ = ${budget.delta}); audit log ${(await participant.node.verifyAudit()).ok ? 'verifies' : 'DOES NOT verify'}`,
    );
  }
} catch (error) {
  // After Ctrl+C the closing stores end the watch; that is not a failure to report.
  if (!cleaning) {
    say(`The demo stopped: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
} finally {
  await cleanUp();
}
