/** Gradient rules of element-wise ops. y is the node's output, g the gradient of the loss w.r.t. y. */
import type { Value } from '../../graph/ir.ts';
import * as op from '../../graph/ops/index.ts';
import { gradOutput, inputAt, outputAt, unbroadcast, when } from '../gradient-rule.ts';
import type { GradientRule } from '../gradient-rule.ts';

export const addRule: GradientRule = (c) => [
  when(c, 0, () => unbroadcast(gradOutput(c), inputAt(c, 0).shape)),
  when(c, 1, () => unbroadcast(gradOutput(c), inputAt(c, 1).shape)),
];

export const subRule: GradientRule = (c) => [
  when(c, 0, () => unbroadcast(gradOutput(c), inputAt(c, 0).shape)),
  when(c, 1, () => unbroadcast(op.neg(gradOutput(c)), inputAt(c, 1).shape)),
];

export const mulRule: GradientRule = (c) => [
  when(c, 0, () => unbroadcast(op.mul(gradOutput(c), inputAt(c, 1)), inputAt(c, 0).shape)),
  when(c, 1, () => unbroadcast(op.mul(gradOutput(c), inputAt(c, 0)), inputAt(c, 1).shape)),
];

/** y = a / b: ∂a = g / b, ∂b = −g·y / b. */
export const divRule: GradientRule = (c) => [
  when(c, 0, () => unbroadcast(op.div(gradOutput(c), inputAt(c, 1)), inputAt(c, 0).shape)),
  when(c, 1, () =>
    unbroadcast(op.neg(op.div(op.mul(gradOutput(c), outputAt(c, 0)), inputAt(c, 1))), inputAt(c, 1).shape),
  ),
];

export const negRule: GradientRule = (c) => [op.neg(gradOutput(c))];

export const identityRule: GradientRule = (c) => [gradOutput(c)];

export const expRule: GradientRule = (c) => [op.mul(gradOutput(c), outputAt(c, 0))];

export const logRule: GradientRule = (c) => [op.div(gradOutput(c), inputAt(c, 0))];

/** y = √x: ∂x = g / (2y). */
export const sqrtRule: GradientRule = (c) => [op.div(op.mul(gradOutput(c), 0.5), outputAt(c, 0))];

export const reciprocalRule: GradientRule = (c) => {
  const y = outputAt(c, 0);
  return [op.neg(op.mul(gradOutput(c), op.mul(y, y)))];
};

/** y = x^p: ∂x = g·p·x^(p−1) = g·p·y/x is unsafe at x = 0, so x^(p−1) is formed explicitly; ∂p = g·y·ln x. */
export const powRule: GradientRule = (c) => {
  const [x, p, y, g] = [inputAt(c, 0), inputAt(c, 1), outputAt(c, 0), gradOutput(c)];
  return [
    when(c, 0, () => unbroadcast(op.mul(op.mul(g, p), op.pow(x, op.sub(p, 1))), x.shape)),
    when(c, 1, () => unbroadcast(op.mul(op.mul(g, y), op.log(x)), p.shape)),
  ];
};

export const tanhRule: GradientRule = (c) => {
  const y = outputAt(c, 0);
  return [op.mul(gradOutput(c), op.sub(1, op.mul(y, y)))];
};

export const sigmoidRule: GradientRule = (c) => {
  const y = outputAt(c, 0);
  return [op.mul(gradOutput(c), op.mul(y, op.sub(1, y)))];
};

export const reluRule: GradientRule = (c) => [op.where(op.greater(inputAt(c, 0), 0), gradOutput(c), 0)];

/** d erf(x)/dx = 2/√π · exp(−x²). */
export const erfRule: GradientRule = (c) => {
  const x = inputAt(c, 0);
  return [op.mul(gradOutput(c), op.mul(op.exp(op.neg(op.mul(x, x))), 2 / Math.sqrt(Math.PI)))];
};

/**
 * Exact GELU: y = x·Φ(x), y' = Φ(x) + x·φ(x). With t = x/√2: Φ = ½erf(t) + ½ and φ = exp(ln(1/√(2π)) − t²),
 * which reuses t and folds the constant into the exponent (one pass fewer over the MLP's widest tensor).
 */
function geluErfDerivative(x: Value): Value {
  const t = op.mul(x, Math.SQRT1_2);
  const cdf = op.add(op.mul(op.erf(t), 0.5), 0.5);
  const pdf = op.exp(op.sub(Math.log(1 / Math.sqrt(2 * Math.PI)), op.mul(t, t)));
  return op.add(cdf, op.mul(x, pdf));
}

/** Tanh GELU: y = ½x(1 + t), t = tanh(k(x + 0.044715x³)), y' = ½(1 + t) + ½x(1 − t²)·k(1 + 3·0.044715x²). */
function geluTanhDerivative(x: Value): Value {
  const k = Math.sqrt(2 / Math.PI);
  const square = op.mul(x, x);
  const t = op.tanh(op.mul(op.mul(x, op.add(op.mul(square, 0.044715), 1)), k));
  const inner = op.mul(op.add(op.mul(square, 3 * 0.044715), 1), k);
  const halfX = op.mul(x, 0.5);
  return op.add(op.mul(op.add(t, 1), 0.5), op.mul(op.mul(halfX, op.sub(1, op.mul(t, t))), inner));
}

export const geluRule: GradientRule = (c) => {
  const approximate = c.node.attributes.get('approximate');
  const tanhForm = approximate?.type === 'string' && approximate.value === 'tanh';
  const x = inputAt(c, 0);
  return [op.mul(gradOutput(c), tanhForm ? geluTanhDerivative(x) : geluErfDerivative(x))];
};

/** The condition gets no gradient; each branch gets g where it was chosen. */
export const whereRule: GradientRule = (c) => {
  const [condition, g] = [inputAt(c, 0), gradOutput(c)];
  return [
    undefined,
    when(c, 1, () => unbroadcast(op.where(condition, g, 0), inputAt(c, 1).shape)),
    when(c, 2, () => unbroadcast(op.where(condition, 0, g), inputAt(c, 2).shape)),
  ];
};

export const castRule: GradientRule = (c) => [when(c, 0, () => op.cast(gradOutput(c), inputAt(c, 0).dtype))];

export const expandRule: GradientRule = (c) => [
  when(c, 0, () => unbroadcast(gradOutput(c), inputAt(c, 0).shape)),
  undefined,
];
