import Database from 'better-sqlite3';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { federationPaths } from '../../../coordinator/setup/federation-files.ts';
import { encodeUpdate } from '../../../engine/codec/encode-update.ts';
import { denseFloat32 } from '../../../engine/codec/update-codec.ts';
import { readSafetensorsFile } from '../../../engine/codec/safetensors.ts';
import { flatten, tensor } from '../../../engine/tensor/parameter-set.ts';
import type { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';
import { isRetriable } from '../../../main/participant/coordinator-client/retry-policy.ts';
import { freePort, killChild, startChild } from '../support/child-process.ts';
import { pullTowards, referenceWeights, runRounds } from '../support/deterministic-participant.ts';
import {
  enrolledParticipant,
  participantLink,
  startCoordinator,
  testWeights,
  writeTestFederationFile,
} from '../support/test-federation.ts';

const accordBin = fileURLToPath(new URL('../../../bin/accord.js', import.meta.url));
const uploadingParticipant = fileURLToPath(new URL('../support/uploading-participant.ts', import.meta.url));
const sites = [
  { name: 'hospital-a', target: 1, examples: 10 },
  { name: 'bank-b', target: -2, examples: 30 },
  { name: 'agency-c', target: 4, examples: 60 },
];
const pem = () => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
/** Retries until the coordinator is back, however long its restart takes; the test's own bounds end it. */
const patientRetry = { maxAttempts: 100_000, baseDelayMs: 50, maxDelayMs: 200 };

function checkpointPath(databasePath: string, roundNumber: number): string | undefined {
  const db = new Database(databasePath, { readonly: true });
  try {
    const row = db.prepare('SELECT path FROM checkpoints WHERE round_number = ?').get(roundNumber) as
      { path: string } | undefined;
    return row?.path;
  } finally {
    db.close();
  }
}

/** Counts this link's calls that found no coordinator (the failures its client retries). */
function countUnavailable(link: GrpcFederationLink): () => number {
  let failures = 0;
  const transport = link.transport;
  const callOnce = transport.callOnce.bind(transport);
  transport.callOnce = ((...args: Parameters<typeof callOnce>) =>
    callOnce(...args).catch((error: unknown) => {
      if (isRetriable(error)) failures += 1;
      throw error;
    })) as typeof transport.callOnce;
  return () => failures;
}

describe('faults during a round', () => {
  it('a coordinator killed mid-round and restarted completes the round, counting each update once', async () => {
    const port = await freePort();
    const listen = { host: '127.0.0.1', port };
    const { config, configPath } = await writeTestFederationFile({ rounds: 1, listen });
    const address = `127.0.0.1:${port}`;
    const runCoordinator = () => startChild([accordBin, 'coordinator', 'run', '--config', configPath]);
    let coordinator = runCoordinator();
    await coordinator.waitFor(/listening on/);
    const keys = sites.map(pem);
    const links = await Promise.all(
      sites.map((site, i) => enrolledParticipant(config, address, site.name, keys[i], patientRetry)),
    );

    const [receiptsA] = await Promise.all(
      links.slice(0, 2).map((link, i) => runRounds(link, sites[i]!.name, sites[i]!.target, sites[i]!.examples, 1)),
    );
    const task = (await links[2]!.pollTask())!;
    const payload = encodeUpdate(pullTowards(await links[2]!.downloadModel(task), 4), denseFloat32).bytes;

    await killChild(coordinator);
    // The third site uploads while the coordinator is down: its client backs off and retries.
    const unavailable = countUnavailable(links[2]!);
    const uploadC = links[2]!.uploadUpdate(task, `agency-c-${task.roundId}`, payload, { numExamples: 60, metrics: {} });
    await vi.waitUntil(() => unavailable() >= 2, {
      timeout: 20_000,
      message: 'the third site never found the coordinator down (no retried call)',
    });
    coordinator = runCoordinator();
    await coordinator.waitFor(/listening on/);
    const receiptC = await uploadC;
    expect(receiptC.roundId).toBe(task.roundId);

    // Site A, having lost its journal, sends the same upload again: the coordinator answers with the
    // receipt it already gave, and nothing is stored twice.
    const forgetful = participantLink(config, address, {
      name: 'hospital-a-restored',
      privateKeyPem: keys[0],
      participantId: links[0]!.participantId,
    });
    const bytesA = encodeUpdate(pullTowards(testWeights, 1), denseFloat32).bytes;
    const repeated = await forgetful.uploadUpdate(task, receiptsA![0]!.uploadId, bytesA, {
      numExamples: 10,
      metrics: {},
    });
    expect(repeated).toEqual(receiptsA![0]);

    const database = federationPaths(config.dataDir).database;
    const roundOne = await vi.waitUntil(() => checkpointPath(database, 1), {
      timeout: 20_000,
      message: 'the restarted coordinator did not write round 1’s checkpoint after all three uploads',
    });
    await killChild(coordinator);
    const db = new Database(federationPaths(config.dataDir).database, { readonly: true });
    const uploads = db.prepare('SELECT participant_id FROM uploads WHERE receipt IS NOT NULL').all();
    db.close();
    expect(uploads).toHaveLength(3);
    const weights = flatten(await readSafetensorsFile(roundOne, config.model.spec));
    const expected = referenceWeights(testWeights, sites, 1);
    weights.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
    [...links, forgetful].forEach((link) => link.close());
  });

  it('a participant killed mid-upload and restarted resumes where the coordinator stopped, counted once', async () => {
    const weights = new Map([
      [
        'embedding',
        tensor(
          [64, 64],
          Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i)),
        ),
      ],
    ]);
    const overrides = { rounds: 1, participantsPerRound: { min: 1, max: 1 }, updateEncoding: 'float32-le' };
    const { config, configPath } = await writeTestFederationFile(overrides, weights);
    const { coordinator, address } = await startCoordinator(config);
    try {
      const privateKeyPem = pem();
      const link = await enrolledParticipant(config, address, 'site-d', privateKeyPem);
      link.close();
      const childOptions = {
        configPath,
        rawConfig: JSON.parse(readFileSync(configPath, 'utf8')),
        address,
        name: 'site-d',
        privateKeyPem,
        participantId: link.participantId,
        target: 3,
        examples: 7,
      };
      const first = startChild([uploadingParticipant, JSON.stringify({ ...childOptions, holdAtBytes: 4096 })]);
      await first.waitFor(/holding at 4096/);
      await killChild(first);
      const firstConfirmed = [...first.output().matchAll(/confirmed (\d+)/g)].map((match) => Number(match[1]));
      expect(firstConfirmed.at(-1)).toBe(4096);

      const second = startChild([uploadingParticipant, JSON.stringify(childOptions)]);
      await second.waitFor(/receipt /);
      const resumed = [...second.output().matchAll(/confirmed (\d+)/g)].map((match) => Number(match[1]));
      // The restarted process sends only what the coordinator did not hold: it starts past the last chunk it saw confirmed.
      expect(resumed[0]).toBeGreaterThan(firstConfirmed.at(-1)!);
      expect(resumed.at(-1)).toBe(16384);

      await vi.waitUntil(() => coordinator.context.rounds.finished(), {
        timeout: 20_000,
        message: 'the round did not close with a checkpoint after the resumed upload was committed',
      });
      const round = coordinator.context.store.rounds()[0]!;
      expect(coordinator.context.store.committedUploads(round.id)).toHaveLength(1);
      const global = flatten(
        await readSafetensorsFile(coordinator.context.store.checkpoint(1)!.path, config.model.spec),
      );
      const expected = referenceWeights(weights, [{ target: 3, examples: 7 }], 1);
      global.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
    } finally {
      await coordinator.stop();
    }
  });
});
