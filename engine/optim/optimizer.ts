/**
 * The optimizer contract: parameters and their per-parameter state are Float32Arrays updated in place by
 * tight TypeScript loops. State ("slots": moments, accumulators) is exported as named tensors so that a
 * checkpoint can carry it and a resumed run continues exactly where it stopped.
 */
import type { ParameterSet } from '../tensor/parameter-set.ts';

export type Gradients = ReadonlyMap<string, Float32Array>;

export type Hyperparameters = Readonly<Record<string, number | boolean>>;

export interface OptimizerState {
  readonly algorithm: string;
  /** Number of updates applied so far (the t of the papers, after the last update). */
  readonly step: number;
  readonly hyperparameters: Hyperparameters;
  /** Keyed `${slot}/${parameter}`, e.g. `m/encoder.0.attention.query.weight`. */
  readonly slots: ReadonlyMap<string, Float32Array>;
}

export interface Optimizer {
  readonly algorithm: string;
  readonly stepCount: number;
  /**
   * Applies one update in place. A parameter without a gradient is frozen and left alone; a gradient
   * for an unknown parameter, or one of the wrong length, is an error.
   */
  step(parameters: ParameterSet, gradients: Gradients, learningRate: number): void;
  exportState(): OptimizerState;
  importState(state: OptimizerState): void;
}

function checkGradients(parameters: ParameterSet, gradients: Gradients): void {
  for (const [name, gradient] of gradients) {
    const parameter = parameters.get(name);
    if (!parameter) throw new Error(`gradient for unknown parameter "${name}"`);
    if (parameter.data.length !== gradient.length) {
      throw new Error(
        `gradient for "${name}" has ${gradient.length} values, the parameter has ${parameter.data.length}`,
      );
    }
  }
}

/** Shared bookkeeping: slot allocation, the step counter, state export and import. */
export abstract class SlotOptimizer implements Optimizer {
  abstract readonly algorithm: string;
  protected abstract readonly slotNames: readonly string[];
  private readonly slots = new Map<string, Float32Array[]>();
  private updates = 0;

  get stepCount(): number {
    return this.updates;
  }

  abstract hyperparameters(): Hyperparameters;

  /** One parameter's update; `t` counts from 1 as in the papers. */
  protected abstract update(
    parameter: Float32Array,
    gradient: Float32Array,
    slots: Float32Array[],
    learningRate: number,
    t: number,
  ): void;

  step(parameters: ParameterSet, gradients: Gradients, learningRate: number): void {
    if (!Number.isFinite(learningRate)) throw new Error(`learning rate must be finite, got ${learningRate}`);
    checkGradients(parameters, gradients);
    this.updates += 1;
    for (const [name, parameter] of parameters) {
      const gradient = gradients.get(name);
      if (!gradient) continue;
      this.update(parameter.data, gradient, this.slotsFor(name, gradient.length), learningRate, this.updates);
    }
  }

  private slotsFor(name: string, size: number): Float32Array[] {
    let slots = this.slots.get(name);
    if (!slots) {
      slots = this.slotNames.map(() => new Float32Array(size));
      this.slots.set(name, slots);
    }
    return slots;
  }

  exportState(): OptimizerState {
    const slots = new Map<string, Float32Array>();
    for (const [name, arrays] of this.slots) {
      arrays.forEach((array, index) => slots.set(`${this.slotNames[index]}/${name}`, array.slice()));
    }
    return { algorithm: this.algorithm, step: this.updates, hyperparameters: this.hyperparameters(), slots };
  }

  importState(state: OptimizerState): void {
    if (state.algorithm !== this.algorithm) {
      throw new Error(`optimizer state is for ${state.algorithm}, this optimizer is ${this.algorithm}`);
    }
    if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`invalid optimizer step ${state.step}`);
    const grouped = new Map<string, Float32Array[]>();
    for (const [key, array] of state.slots) {
      const cut = key.indexOf('/');
      const index = this.slotNames.indexOf(key.slice(0, cut));
      if (cut < 0 || index < 0) throw new Error(`unknown ${this.algorithm} state slot "${key}"`);
      const name = key.slice(cut + 1);
      const arrays = grouped.get(name) ?? new Array<Float32Array>(this.slotNames.length);
      arrays[index] = array.slice();
      grouped.set(name, arrays);
    }
    for (const [name, arrays] of grouped) {
      this.slotNames.forEach((slot, index) => {
        if (!arrays[index]) throw new Error(`${this.algorithm} state for "${name}" lacks slot "${slot}"`);
      });
    }
    this.slots.clear();
    for (const [name, arrays] of grouped) this.slots.set(name, arrays);
    this.updates = state.step;
  }
}
