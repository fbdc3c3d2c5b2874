/** What the approval card says about a compressed update: the method, and its size next to the dense one. */
import type { ContributionView } from '../../../../preload/contract.ts';
import { formatBytes } from '../../lib/format.ts';

/** Undefined for a dense update (or a summary made before compression was recorded). */
export function compressionNote(summary: ContributionView['summary']): string | undefined {
  const { compression, denseBytes, bytes } = summary;
  if (!compression || compression === 'none' || denseBytes === undefined) return undefined;
  const ratio = bytes > 0 ? ` (${(denseBytes / bytes).toFixed(1)}× smaller)` : '';
  return `${compression}: ${formatBytes(bytes)} sent instead of ${formatBytes(denseBytes)} dense${ratio}`;
}
