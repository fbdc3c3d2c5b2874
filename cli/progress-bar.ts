/** A one-line text progress bar for a terminal: step, bar, percent, loss, learning rate, speed, ETA. */
import type { TrainingProgress } from '../engine/runtime/training-progress.ts';

export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds)) return '--';
  const seconds = Math.round(totalSeconds);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

export function formatProgressBar(progress: TrainingProgress, width = 24): string {
  const fraction = Math.min(1, progress.step / Math.max(1, progress.totalSteps));
  const filled = Math.round(fraction * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  return [
    `epoch ${progress.epoch + 1}`,
    `step ${progress.step}/${progress.totalSteps}`,
    `${bar} ${(fraction * 100).toFixed(0).padStart(3)}%`,
    `loss ${progress.loss.toFixed(4)}`,
    `lr ${progress.learningRate.toExponential(2)}`,
    `${progress.examplesPerSecond.toFixed(1)} ex/s`,
    `ETA ${formatDuration(progress.etaSeconds)}`,
  ].join('  ');
}
