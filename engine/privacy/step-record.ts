/** One entry of a dataset's DP-SGD record: `steps` steps of the sampled Gaussian mechanism. */
export interface DpStepRecord {
  noiseMultiplier: number;
  sampleRate: number;
  steps: number;
}
