import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSafetensorsFile } from '../../../engine/codec/safetensors.ts';
import { decodeSecAggMessage, encodeSecAggMessage } from '../../../engine/secagg/message-codec.ts';
import type { UnmaskRequest } from '../../../engine/secagg/messages.ts';
import { quantizationFor, quantize, sumErrorBound } from '../../../engine/secagg/quantization.ts';
import type { ParameterSet, TensorSpec } from '../../../engine/tensor/parameter-set.ts';
import { submittedVector } from '../../../main/participant/secagg/secagg-client.ts';
import {
  contribute,
  joinRound,
  roundClosed,
  secureFederation,
  updateOf,
  type SecureFederation,
} from '../support/secure-participants.ts';
import { Coordinator } from '../../../coordinator/coordinator.ts';
import { testWeights, writeTestFederation } from '../support/test-federation.ts';

let federation: SecureFederation | undefined;
afterEach(async () => {
  await federation?.close();
  federation = undefined;
});

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The next global weights FedAvg should produce, computed naively in float64. */
function expectedGlobal(
  spec: readonly TensorSpec[],
  updates: ParameterSet[],
  examples: number[],
): Map<string, number[]> {
  const total = examples.reduce((a, b) => a + b, 0);
  return new Map(
    spec.map(({ name }) => {
      const base = [...testWeights.get(name)!.data];
      return [
        name,
        base.map((w, i) => w + updates.reduce((s, u, k) => s + examples[k]! * u.get(name)!.data[i]!, 0) / total),
      ];
    }),
  );
}

async function expectGlobalWithinBound(
  fed: SecureFederation,
  updates: ParameterSet[],
  examples: number[],
  contributors: number,
): Promise<void> {
  const { config, coordinator } = fed;
  const checkpoint = coordinator.context.store.checkpoint(1);
  expect(checkpoint).toBeDefined();
  const actual = await readSafetensorsFile(checkpoint!.path, config.model.spec);
  const quantization = quantizationFor(config.secureAggregationOptions.clipRange, config.participantsPerRound.max);
  // Error budget per coordinate, with N = Σ n_i and S = Σ n_i·|Δ_i|:
  //   quantization of the sum (sumErrorBound), divided by N;
  //   float32 rounding of each pre-scaled n_i·Δ_i on the participant: ≤ S·2^-24, divided by N;
  //   the mean as float32 (≤ S/N·2^-24) and the new global as float32 (≤ |value|·2^-24).
  const total = examples.reduce((a, b) => a + b, 0);
  const quantizationTerm = sumErrorBound(quantization, contributors) / total;
  for (const [name, expected] of expectedGlobal(config.model.spec, updates, examples)) {
    const data = actual.get(name)!.data;
    expected.forEach((value, i) => {
      const scaled = updates.reduce((sum, u, k) => sum + examples[k]! * Math.abs(u.get(name)!.data[i]!), 0) / total;
      const bound = quantizationTerm + (2 * scaled + Math.abs(value)) * 2 ** -24;
      expect(Math.abs(data[i]! - value)).toBeLessThanOrEqual(bound);
    });
  }
}

describe('secure aggregation over gRPC with TLS', () => {
  it('n = 3: the new global model is the plaintext FedAvg within the quantization bound, and nothing individual is stored', async () => {
    federation = await secureFederation();
    const { config, coordinator, members } = federation;
    const tasks = await Promise.all(members.map((member) => joinRound(member.link)));
    expect(tasks.every((task) => task.secureAggregation)).toBe(true);
    const examples = [12, 30, 7];
    const updates = members.map((_, i) => updateOf(i, config.model.spec));
    const sent = await Promise.all(
      members.map((member, i) => contribute(member, tasks[i]!, updates[i]!, examples[i]!)),
    );
    const round = await roundClosed(coordinator, tasks[0]!.roundId);
    expect(round.outcome).toBe('aggregated');
    await expectGlobalWithinBound(federation, updates, examples, 3);

    // What the coordinator persisted (store, WAL, uploads, logs, checkpoints) holds no individual update
    // in any form a participant had it: float32 plaintext, update × count, or its quantized words.
    const stored = filesUnder(config.dataDir).map((path) => readFileSync(path));
    const quantization = quantizationFor(config.secureAggregationOptions.clipRange, config.participantsPerRound.max);
    sent.forEach(({ plain, masked }, i) => {
      const vector = submittedVector(updates[i]!, tasks[i]!.modelSpec, examples[i]!);
      const forms = [plain, new Uint8Array(vector.buffer), new Uint8Array(quantize(vector, quantization).buffer)];
      for (const form of forms) {
        for (let offset = 0; offset + 12 <= form.length; offset += 4) {
          const window = Buffer.from(form.subarray(offset, offset + 12));
          for (const file of stored) expect(file.includes(window)).toBe(false);
        }
      }
      expect(stored.some((file) => file.includes(Buffer.from(masked)))).toBe(true);
    });
  });

  it("n = 3, t = 2: one participant drops at the masked-input stage; the round completes with the survivors' sum", async () => {
    federation = await secureFederation({ roundDeadlineSeconds: 6 });
    const { config, coordinator, members } = federation;
    const tasks = await Promise.all(members.map((member) => joinRound(member.link)));
    const examples = [5, 9];
    const updates = [0, 1].map((i) => updateOf(i, config.model.spec));
    await Promise.all([0, 1].map((i) => contribute(members[i]!, tasks[i]!, updates[i]!, examples[i]!)));
    const round = await roundClosed(coordinator, tasks[0]!.roundId);
    expect(round.outcome).toBe('aggregated');
    await expectGlobalWithinBound(federation, updates, examples, 2);
  });

  it('n = 3, t = 2: one participant drops at the unmask stage; its masked input still counts in the sum', async () => {
    federation = await secureFederation({ secureAggregationOptions: { threshold: 2, clipRange: 64, stageSeconds: 2 } });
    const { config, coordinator, members } = federation;
    const tasks = await Promise.all(members.map((member) => joinRound(member.link)));
    const examples = [3, 8, 13];
    const updates = members.map((_, i) => updateOf(i, config.model.spec));
    await Promise.all(
      members.map(async (member, i) => {
        const masked = await member.client.mask(tasks[i]!, updates[i]!, examples[i]!);
        // clinic-c stops answering stages once it has its masked input: it never answers unmask.
        if (i === 2) await member.stop();
        await member.link.uploadUpdate(tasks[i]!, `${member.name}-${tasks[i]!.roundId}`, masked, {
          numExamples: 1,
          metrics: {},
        });
      }),
    );
    const round = await roundClosed(coordinator, tasks[0]!.roundId);
    expect(round.outcome).toBe('aggregated');
    await expectGlobalWithinBound(federation, updates, examples, 3);
  });

  it('below t: with two of three dropped the round aborts with its reason and the global model is unchanged', async () => {
    federation = await secureFederation({ roundDeadlineSeconds: 5 });
    const { coordinator, members, config } = federation;
    const tasks = await Promise.all(members.map((member) => joinRound(member.link)));
    await contribute(members[0]!, tasks[0]!, updateOf(0, config.model.spec), 4);
    const round = await roundClosed(coordinator, tasks[0]!.roundId);
    expect(round.outcome).toMatch(/^secure_aggregation_aborted: .*threshold 2/);
    expect(coordinator.context.store.checkpoint(1)).toBeUndefined();
    const next = coordinator.context.store.latestRound()!;
    expect(next.number).toBe(1);
    expect(next.id).not.toBe(round.id);
    expect(next.modelSha256).toBe(round.modelSha256);
    const log = readFileSync(join(config.dataDir, 'logs', 'round-1.jsonl'), 'utf8');
    expect(log).toContain('secure_aggregation_aborted');
  });

  it('participants refuse a coordinator that asks for both shares of one peer, record it, and the round aborts', async () => {
    federation = await secureFederation({ secureAggregationOptions: { threshold: 2, clipRange: 64, stageSeconds: 2 } });
    const { coordinator, members, config } = federation;
    // A misbehaving coordinator: besides the survivors' self-mask shares it asks for their mask-key shares,
    // which together would strip every mask from their inputs.
    const secure = coordinator.context.secureAggregation!;
    const honest = secure.taskFor.bind(secure);
    secure.taskFor = (participantId, now) => {
      const task = honest(participantId, now);
      if (task?.stage !== 'unmask') return task;
      const request = decodeSecAggMessage(task.message) as UnmaskRequest;
      const greedy = { ...request, maskKeySharesOf: request.selfMaskSharesOf.filter((id) => id !== participantId) };
      return { ...task, message: encodeSecAggMessage(greedy) };
    };
    const tasks = await Promise.all(members.map((member) => joinRound(member.link)));
    await Promise.all(members.map((member, i) => contribute(member, tasks[i]!, updateOf(i, config.model.spec), 3)));
    const round = await roundClosed(coordinator, tasks[0]!.roundId);
    expect(round.outcome).toMatch(/^secure_aggregation_aborted: /);
    expect(coordinator.context.store.checkpoint(1)).toBeUndefined();
    for (const member of members) {
      const refusals = member.audit.filter((entry) => entry.kind === 'secagg.refused');
      expect(refusals).toHaveLength(1);
      expect(refusals[0]!.data).toMatchObject({ roundId: round.id });
      expect(String(refusals[0]!.data.detail)).toMatch(/both the self-mask share and the mask-key share of /);
      expect(members.map((other) => other.link.participantId)).toContain(refusals[0]!.data.peerId);
    }
  });

  it('refuses at start-up a strategy that needs individual updates, and a threshold below a majority', async () => {
    for (const strategy of [{ name: 'median' }, { name: 'trimmed-mean' }, { name: 'multitask' }]) {
      const config = await writeTestFederation({ secureAggregation: true, strategy });
      await expect(Coordinator.open(config)).rejects.toThrow(/needs each participant's update/);
    }
    // Complete graph on 3: neighbourhoods of 3, so t must be at least 2.
    const config = await writeTestFederation({ secureAggregation: true, secureAggregationOptions: { threshold: 1 } });
    await expect(Coordinator.open(config)).rejects.toThrow(
      /secureAggregationOptions: threshold 1 must be an integer in 2…3/,
    );
  });
});
