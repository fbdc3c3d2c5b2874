import { describe, expect, it } from 'vitest';
import { RoundStore } from '../../../../main/participant/rounds/round-store.ts';
import { decodeApprovedPayload, encodeRoundUpdate } from '../../../../main/participant/rounds/update-payload.ts';
import { openParticipantDatabase } from '../../../../main/participant/store/participant-database.ts';
import { tensor } from '../../../../engine/tensor/parameter-set.ts';
import { fakeModel, fakeTask } from '../../../support/fake-coordinator.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

describe('RoundStore', () => {
  it('keeps the update encoding a round was accepted with', () => {
    const store = openParticipantDatabase(tempDir());
    const rounds = new RoundStore(store.db);
    rounds.insert('f/r1', fakeTask({ roundId: 'r1', updateEncoding: 'float32-le' }));
    expect(rounds.require('f/r1').task.updateEncoding).toBe('float32-le');
    store.close();
  });

  it('reads a round stored before tasks named their encoding as the codec format it was written in', () => {
    const store = openParticipantDatabase(tempDir());
    const rounds = new RoundStore(store.db);
    const task = fakeTask({ roundId: 'r2', updateEncoding: 'accord-update-v1' });
    rounds.insert('f/r2', task);
    const { updateEncoding: _dropped, ...earlierTask } = task;
    store.db.prepare('UPDATE rounds SET task = ? WHERE round_key = ?').run(JSON.stringify(earlierTask), 'f/r2');

    const resumed = rounds.require('f/r2').task;
    const update = new Map(
      [...fakeModel()].map(([name, value]) => [
        name,
        tensor(
          value.shape,
          value.data.map((v) => v / 4),
        ),
      ]),
    );
    const { bytes } = encodeRoundUpdate(task, update);
    expect(decodeApprovedPayload(resumed, bytes)).toEqual(update);
    store.close();
  });
});
