/**
 * A participant whose "training" is a small deterministic computation: it pulls every weight halfway
 * towards its own target value c, i.e. update = 0.5·(c − w), and reports n examples.
 */
import { encodeUpdate } from '../../../engine/codec/encode-update.ts';
import { denseFloat32 } from '../../../engine/codec/update-codec.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import type { ParameterSet, TensorSpec } from '../../../engine/tensor/parameter-set.ts';
import { encodeFloat32Update } from '../../../engine/codec/float32-update.ts';
import type { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';
import type { UploadReceipt } from '../../../protocol/receipt.ts';

export function pullTowards(global: ParameterSet, target: number): ParameterSet {
  return new Map(
    [...global].map(([name, value]) => [
      name,
      tensor(
        value.shape,
        value.data.map((w) => 0.5 * (target - w)),
      ),
    ]),
  );
}

export type UpdateEncoder = (update: ParameterSet, spec: readonly TensorSpec[]) => Uint8Array;

export const codecEncoder: UpdateEncoder = (update) => encodeUpdate(update, denseFloat32).bytes;
export const rawFloat32Encoder: UpdateEncoder = (update, spec) => encodeFloat32Update(update, spec);

export async function runRounds(
  link: GrpcFederationLink,
  name: string,
  target: number,
  examples: number,
  rounds: number,
  encode: UpdateEncoder = codecEncoder,
): Promise<UploadReceipt[]> {
  const receipts: UploadReceipt[] = [];
  // Each poll waits up to the link's long-poll time; this many empty ones in a row means no round came.
  for (let emptyPolls = 0; receipts.length < rounds;) {
    const task = await link.pollTask();
    if (!task) {
      if (++emptyPolls >= 12) throw new Error(`${name} was handed no round in ${emptyPolls} long polls`);
      continue;
    }
    emptyPolls = 0;
    const global = await link.downloadModel(task);
    const payload = encode(pullTowards(global, target), task.modelSpec);
    receipts.push(
      await link.uploadUpdate(task, `${name}-${task.roundId}`, payload, {
        numExamples: examples,
        metrics: { loss: 1 / task.roundNumber },
      }),
    );
  }
  return receipts;
}

/** The expected global weights after `rounds` rounds of FedAvg (example-weighted mean of deltas), in float64. */
export function referenceWeights(
  initial: ParameterSet,
  participants: readonly { target: number; examples: number }[],
  rounds: number,
): number[] {
  let weights = [...initial.values()].flatMap((value) => [...value.data]);
  const total = participants.reduce((sum, participant) => sum + participant.examples, 0);
  for (let round = 0; round < rounds; round += 1) {
    weights = weights.map(
      (w) => w + participants.reduce((sum, p) => sum + (p.examples / total) * 0.5 * (p.target - w), 0),
    );
  }
  return weights;
}
