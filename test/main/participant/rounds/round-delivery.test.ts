/**
 * Masking under secure aggregation: the masker gets the float update that was approved — the one trained
 * in this process, or after a restart between approval and masking, the approved payload stored with the
 * round, decoded by the same codec that encoded it.
 */
import { describe, expect, it } from 'vitest';
import { flatten, type ParameterSet } from '../../../../engine/tensor/parameter-set.ts';
import { attachRoundRunner, openParticipantNode } from '../../../../main/participant/participant-node.ts';
import type { UpdateMasker } from '../../../../main/participant/rounds/local-trainer.ts';
import { fakeModel, fakeTask } from '../../../support/fake-coordinator.ts';
import { FakeTrainer } from '../../../support/fake-trainer.ts';
import { wiredParticipant } from '../../../support/participant-fixtures.ts';

const auto = { mode: 'auto' as const, limits: {} };

/** What FakeTrainer(delta) trains: the same step on every parameter of the fake model. */
function expectedUpdate(delta: number): [string, number[]][] {
  return [...fakeModel()].map(([name, value]) => [name, [...value.data].map(() => Math.fround(delta))]);
}

const valuesOf = (update: ParameterSet) => [...update].map(([name, value]) => [name, [...value.data]]);

/** A stand-in masker that records what it was given; its "masked" bytes are the flat float32 values, inverted. */
function recordingMasker(seen: ParameterSet[], fail?: string): UpdateMasker {
  return async (_task, update) => {
    seen.push(update);
    if (fail) throw new Error(fail);
    return new Uint8Array(flatten(update).buffer).map((byte) => byte ^ 0xff);
  };
}

describe('maskUpdate', () => {
  it.each(['accord-update-v1', 'float32-le'])(
    'after a restart between approval and masking, masks the approved payload decoded as "%s"',
    async (updateEncoding) => {
      const participant = await wiredParticipant({ trainer: new FakeTrainer(0.125) });
      participant.node.close();
      const before = openParticipantNode({ home: participant.home });
      before.consent.setPolicy('fed-a', auto);
      const seenBefore: ParameterSet[] = [];
      const first = attachRoundRunner(before, {
        link: participant.coordinator,
        trainer: participant.trainer,
        mask: recordingMasker(seenBefore, 'no masked-input request yet'),
      });
      const task = fakeTask({ roundId: `sa-${updateEncoding}`, secureAggregation: true, updateEncoding });
      await expect(first.handle(task)).rejects.toThrow('no masked-input request yet');
      expect(first.rounds()[0]?.state).toBe('approved');
      expect(seenBefore.map(valuesOf)).toEqual([expectedUpdate(0.125)]);
      before.close();

      const after = openParticipantNode({ home: participant.home });
      const seenAfter: ParameterSet[] = [];
      const second = attachRoundRunner(after, {
        link: participant.coordinator,
        trainer: participant.trainer,
        mask: recordingMasker(seenAfter),
      });
      const [round] = await second.resume();
      expect(round?.state).toBe('receipted');
      expect(participant.trainer.calls).toBe(1);
      expect(seenAfter.map(valuesOf)).toEqual([expectedUpdate(0.125)]);
      expect(participant.coordinator.uploads()).toEqual([expect.objectContaining({ sha256: round?.sentSha256 })]);
      after.close();
    },
  );
});
