/**
 * Learning-rate schedules as functions of the 0-based update index. Warm-up rises linearly from
 * peak/warmupSteps to the peak (so the first update is never at zero), then decays linearly or along a
 * half cosine (Loshchilov & Hutter 2017, "SGDR", without restarts) to `finalRate` at `totalSteps`.
 */
export type ScheduleKind = 'constant' | 'linear' | 'cosine';

export interface ScheduleConfig {
  kind: ScheduleKind;
  peakRate: number;
  warmupSteps?: number;
  totalSteps?: number;
  finalRate?: number;
}

export type LearningRateSchedule = (step: number) => number;

function checkConfig(config: ScheduleConfig): { warmup: number; total: number; final: number } {
  const warmup = config.warmupSteps ?? 0;
  const total = config.totalSteps ?? 0;
  const final = config.finalRate ?? 0;
  if (!(config.peakRate > 0)) throw new Error(`schedule peakRate must be above 0, got ${config.peakRate}`);
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`warmupSteps must be an integer ≥ 0, got ${warmup}`);
  if (config.kind !== 'constant' && !(Number.isInteger(total) && total > warmup)) {
    throw new Error(
      `a ${config.kind} schedule needs totalSteps (an integer) above warmupSteps ${warmup}, got ${total}`,
    );
  }
  return { warmup, total, final };
}

export function createSchedule(config: ScheduleConfig): LearningRateSchedule {
  const { warmup, total, final } = checkConfig(config);
  const peak = config.peakRate;
  const decay = (progress: number): number => {
    if (config.kind === 'constant') return peak;
    const clamped = Math.min(1, Math.max(0, progress));
    const shape = config.kind === 'linear' ? 1 - clamped : 0.5 * (1 + Math.cos(Math.PI * clamped));
    return final + (peak - final) * shape;
  };
  return (step: number): number => {
    if (step < warmup) return (peak * (step + 1)) / warmup;
    return decay((step - warmup) / Math.max(1, total - warmup));
  };
}
