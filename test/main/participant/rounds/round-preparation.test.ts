/** The steps before approval: what a round must offer before anything is trained or any ε is spent. */
import { describe, expect, it } from 'vitest';
import type { RoundTask } from '../../../../main/participant/coordinator-client/federation-link.ts';
import { fakeTask } from '../../../support/fake-coordinator.ts';
import { wiredParticipant } from '../../../support/participant-fixtures.ts';

describe('acceptRound', () => {
  it('declines a round whose update encoding this participant does not write, before training or any debit', async () => {
    const { node, runner, coordinator, trainer, datasetId } = await wiredParticipant();
    node.consent.setPolicy('fed-a', { mode: 'auto', limits: {} });
    const round = await runner.handle(fakeTask({ roundNumber: 4, updateEncoding: 'zstd-sparse-v9' }));
    const why =
      'round 4 asks for update encoding "zstd-sparse-v9", which this participant does not write ' +
      '(it writes accord-update-v1, float32-le)';
    expect(round).toMatchObject({ state: 'declined', reason: why });
    expect(trainer.calls).toBe(0);
    expect(node.ledger.entries(datasetId)).toEqual([]);
    expect(coordinator.uploads()).toEqual([]);
    expect(coordinator.declines()).toEqual([{ round_id: round.task.roundId, reason: 'failed', detail: why }]);
  });

  it.each(['accord-update-v1', 'float32-le'])('accepts and sends a round that names "%s"', async (updateEncoding) => {
    const { node, runner, coordinator } = await wiredParticipant();
    node.consent.setPolicy('fed-a', { mode: 'auto', limits: {} });
    const round = await runner.handle(fakeTask({ updateEncoding }));
    expect(round.state).toBe('receipted');
    expect(coordinator.uploads()).toEqual([expect.objectContaining({ sha256: round.approvedSha256 })]);
  });

  it.each([
    [
      { updateEncoding: 'accord-update-v1', secureAggregation: true, compression: { method: 'int8' } },
      'round 1 asks for compression with secure aggregation, which masks the dense update',
    ],
    [
      { updateEncoding: 'accord-update-v1', compression: { method: 'zip' } },
      'round 1: unknown compression method "zip" (known methods: int8, topk)',
    ],
    [
      { updateEncoding: 'accord-update-v1', compression: { method: 'topk', fraction: 1.5 } },
      'round 1: compression.fraction must be a number in (0, 1) for method "topk", got 1.5',
    ],
    [
      { updateEncoding: 'float32-le', compression: { method: 'int8' } },
      'round 1: compression "int8" needs update encoding "accord-update-v1"; "float32-le" carries raw float32 only',
    ],
  ] as const)('declines a round asking for compression it cannot honour (%o), before training', async (fields, why) => {
    const { node, runner, coordinator, trainer } = await wiredParticipant();
    node.consent.setPolicy('fed-a', { mode: 'auto', limits: {} });
    const round = await runner.handle(fakeTask(fields as Partial<RoundTask>));
    expect(round).toMatchObject({ state: 'declined', reason: why });
    expect(trainer.calls).toBe(0);
    expect(coordinator.declines()).toEqual([{ round_id: round.task.roundId, reason: 'failed', detail: why }]);
  });
});
