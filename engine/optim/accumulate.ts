/**
 * Gradient accumulation: several micro-batches make one update. Each micro-batch's gradient is a mean
 * over its examples, so the accumulated gradient is the example-weighted mean of the micro-batch gradients —
 * equal to the gradient of one batch holding all the examples.
 */
import type { Gradients } from './optimizer.ts';

export class GradientAccumulator {
  private readonly sums = new Map<string, Float64Array>();
  private examples = 0;
  private batches = 0;

  get microBatches(): number {
    return this.batches;
  }

  get exampleCount(): number {
    return this.examples;
  }

  /** Adds a micro-batch's mean gradient, weighted by the number of examples it averaged. */
  add(gradients: Gradients, examples: number): void {
    if (!(Number.isInteger(examples) && examples > 0)) {
      throw new Error(`a micro-batch needs a positive integer example count, got ${examples}`);
    }
    if (this.batches > 0 && gradients.size !== this.sums.size) {
      throw new Error(`micro-batch has ${gradients.size} gradients, earlier ones had ${this.sums.size}`);
    }
    for (const [name, gradient] of gradients) {
      let sum = this.sums.get(name);
      if (!sum) {
        if (this.batches > 0) throw new Error(`gradient "${name}" missing from earlier micro-batches`);
        sum = new Float64Array(gradient.length);
        this.sums.set(name, sum);
      }
      if (sum.length !== gradient.length) {
        throw new Error(`gradient "${name}" has ${gradient.length} values, earlier ones had ${sum.length}`);
      }
      const n = sum.length;
      for (let i = 0; i < n; i++) sum[i] = sum[i]! + examples * gradient[i]!;
    }
    this.examples += examples;
    this.batches += 1;
  }

  /** The weighted mean so far, as fresh Float32Arrays; then the accumulator is empty again. */
  take(): Map<string, Float32Array> {
    if (this.batches === 0) throw new Error('no micro-batch gradients to take');
    const result = new Map<string, Float32Array>();
    const inverse = 1 / this.examples;
    for (const [name, sum] of this.sums) {
      const mean = new Float32Array(sum.length);
      for (let i = 0; i < sum.length; i++) mean[i] = sum[i]! * inverse;
      result.set(name, mean);
    }
    this.sums.clear();
    this.examples = 0;
    this.batches = 0;
    return result;
  }
}
