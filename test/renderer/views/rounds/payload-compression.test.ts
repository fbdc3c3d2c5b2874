import { describe, expect, it } from 'vitest';
import type { ContributionView } from '../../../../preload/contract.ts';
import { formatBytes } from '../../../../renderer/src/lib/format.ts';
import { compressionNote } from '../../../../renderer/src/views/rounds/payload-compression.ts';

const summary = (fields: Partial<ContributionView['summary']>) =>
  ({ bytes: 1374, ...fields }) as ContributionView['summary'];

describe('compressionNote', () => {
  it('names the method and puts the sent size next to the dense one', () => {
    const note = compressionNote(summary({ compression: 'topk 0.05', denseBytes: 13110 }));
    expect(note).toBe(
      `topk 0.05: ${formatBytes(1374)} sent instead of ${formatBytes(13110)} dense (${(13110 / 1374).toFixed(1)}× smaller)`,
    );
  });

  it('says nothing for a dense update or a summary made before compression was recorded', () => {
    expect(compressionNote(summary({ compression: 'none', denseBytes: 1374 }))).toBeUndefined();
    expect(compressionNote(summary({}))).toBeUndefined();
  });
});
