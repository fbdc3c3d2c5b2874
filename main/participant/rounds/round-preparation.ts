/**
 * The steps before approval: accept (a dataset for the task, the projected ε within budget), download and
 * verify the global model, train, and keep the exact bytes to send. Nothing here leaves the machine.
 */
import { isUpdateEncodingName, updateCodec, updateEncodingNames } from '../../../engine/codec/update-codec-registry.ts';
import { assertValidCompression, describeCompression } from '../../../engine/codec/update-compression.ts';
import type { Dataset } from '../datasets/dataset-registry.ts';
import type { RoundTask } from '../coordinator-client/federation-link.ts';
import type { DpStepRecord } from '../privacy/privacy-ledger.ts';
import { sharesMetrics } from '../consent/consent-policy.ts';
import type { TrainingResult } from './local-trainer.ts';
import type { RoundContext } from './round-context.ts';
import type { RoundRecord } from './round-store.ts';
import { trainingProgressEvent } from './training-progress-event.ts';
import { denseRoundBytes, encodeRoundUpdate, l2Norm, sha256Hex } from './update-payload.ts';

type RefusalReason = 'budget_exhausted' | 'dataset_unavailable' | 'failed';

export class RoundRefusal extends Error {
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

export function plannedSteps(task: RoundTask): DpStepRecord {
  return { noiseMultiplier: task.dp.noiseMultiplier, sampleRate: task.dp.sampleRate, steps: task.dp.localSteps };
}

function chooseDataset(context: RoundContext, task: RoundTask): Dataset {
  const allowed = context.consent.policy(task.federationId).limits.allowedDatasets;
  const candidates = context.datasets
    .list()
    .filter((d) => d.task === task.taskName && (!allowed || allowed.includes(d.id)) && context.ledger.budget(d.id));
  const ready = candidates.find((d) => d.status === 'ready');
  if (!ready) {
    const why = candidates.length
      ? 'changed since it was confirmed (re-confirm it)'
      : 'registered with a privacy budget';
    throw new RoundRefusal('dataset_unavailable', `no dataset for task "${task.taskName}" is ${why}`);
  }
  return ready;
}

/**
 * Known before anything is trained or spent: an update this participant cannot encode, or compress as
 * asked, could never be sent.
 */
function assertWritableEncoding(task: RoundTask): void {
  if (!isUpdateEncodingName(task.updateEncoding)) {
    throw new RoundRefusal(
      'failed',
      `round ${task.roundNumber} asks for update encoding "${task.updateEncoding}", which this participant ` +
        `does not write (it writes ${updateEncodingNames.join(', ')})`,
    );
  }
  if (!task.compression) return;
  if (task.secureAggregation) {
    throw new RoundRefusal(
      'failed',
      `round ${task.roundNumber} asks for compression with secure aggregation, which masks the dense update`,
    );
  }
  try {
    assertValidCompression(task.compression);
    updateCodec(task.updateEncoding, task.compression);
  } catch (error) {
    throw new RoundRefusal('failed', `round ${task.roundNumber}: ${(error as Error).message}`);
  }
}

/**
 * invited → accepted: refuses the round when its update encoding is unknown or the projected ε would
 * overrun the dataset's budget.
 */
export function acceptRound(context: RoundContext, round: RoundRecord): void {
  assertWritableEncoding(round.task);
  const dataset = chooseDataset(context, round.task);
  const projection = context.ledger.project(dataset.id, plannedSteps(round.task));
  if (!projection.withinBudget) throw new RoundRefusal('budget_exhausted', projection.reason ?? 'budget exhausted');
  context.transition(round.roundKey, 'accepted', {
    changes: { dataset_id: dataset.id },
    audit: [
      'acceptance',
      { by: `policy:${round.task.federationId}`, datasetId: dataset.id, datasetSha256: dataset.sha256, projection },
    ],
  });
}

/** accepted|downloaded|training → update_ready. After a crash the model is fetched again (same hash). */
export async function prepareUpdate(context: RoundContext, round: RoundRecord): Promise<void> {
  const { task, roundKey } = round;
  const globalModel = await context.link.downloadModel(task);
  if (round.state === 'accepted') {
    context.transition(roundKey, 'downloaded', {
      audit: ['download', { modelSha256: task.modelSha256, coordinator: task.coordinator }],
    });
  }
  const dataset = await context.datasets.ensureUnchanged(round.datasetId ?? '');
  if (round.state !== 'training') context.transition(roundKey, 'training');
  const result = await context.trainer.train({
    task,
    dataset,
    globalModel,
    dp: task.dp,
    onProgress: (progress) => context.events.emit('training.progress', trainingProgressEvent(roundKey, progress)),
  });
  keepUpdate(context, round, result, dataset.sha256);
}

/**
 * training → update_ready: the exact bytes, and with compression the residual they leave, are stored in one
 * transaction. The residual comes from result.update, the update DP-SGD has already noised (post-processing).
 */
function keepUpdate(context: RoundContext, round: RoundRecord, result: TrainingResult, datasetSha256: string): void {
  const { task, roundKey } = round;
  const previous = task.compression && context.feedback.current(task.federationId, task.modelSpec);
  const { bytes, residual } = encodeRoundUpdate(task, result.update, previous);
  const sha256 = sha256Hex(bytes);
  const outcome = {
    numExamples: result.numExamples,
    metrics: result.metrics,
    l2Norm: l2Norm(result.update),
    dpSteps: result.dpSteps,
    evaluation: result.evaluation ?? null,
  };
  context.transition(roundKey, 'update_ready', {
    changes: { result: JSON.stringify(outcome), approved_sha256: sha256 },
    within: () => {
      context.store.savePayload(roundKey, 'approved', sha256, bytes);
      if (residual) context.feedback.savePrepared(roundKey, task.federationId, task.modelSpec, residual);
    },
    audit: [
      'update',
      {
        sha256,
        bytes: bytes.byteLength,
        compression: describeCompression(task.compression),
        denseBytes: denseRoundBytes(task),
        l2Norm: outcome.l2Norm,
        numExamples: outcome.numExamples,
        dpSteps: outcome.dpSteps,
        datasetSha256,
        evaluation: outcome.evaluation,
        ...(result.device ? { device: result.device } : {}),
      },
    ],
  });
}

/** update_ready → awaiting_approval: the contribution holds the exact summary a person will see. */
export function openApproval(context: RoundContext, round: RoundRecord): void {
  const { task, roundKey, outcome } = round;
  const payload = context.store.payload(roundKey, 'approved');
  if (!outcome || !payload || !round.datasetId) throw new Error(`round ${roundKey} has no update to approve`);
  const dataset = context.datasets.require(round.datasetId);
  const projection = context.ledger.project(dataset.id, outcome.dpSteps);
  if (!projection.withinBudget) throw new RoundRefusal('budget_exhausted', projection.reason ?? 'budget exhausted');
  const summary = {
    federationId: task.federationId,
    coordinator: task.coordinator,
    roundId: task.roundId,
    roundNumber: task.roundNumber,
    modelSha256: task.modelSha256,
    datasetId: dataset.id,
    datasetName: dataset.name,
    bytes: payload.bytes.byteLength,
    compression: describeCompression(task.compression),
    denseBytes: denseRoundBytes(task),
    sha256: payload.sha256,
    l2Norm: outcome.l2Norm,
    epsilonRound: projection.epsilonRound,
    epsilonBefore: projection.epsilonBefore,
    epsilonAfter: projection.epsilonAfter,
    epsilonBudget: projection.budget,
    delta: projection.delta,
    dp: outcome.dpSteps,
    deadline: task.deadline,
    evaluation: outcome.evaluation ?? null,
    metricsShared: sharesMetrics(context.consent.policy(task.federationId)),
  };
  context.transition(roundKey, 'awaiting_approval', {
    within: () => {
      const contribution = context.consent.open(roundKey, summary);
      context.store.setState(roundKey, 'awaiting_approval', { contribution_id: contribution.id });
    },
  });
}
