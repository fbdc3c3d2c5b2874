/**
 * THE table of gradient rules: one entry per ONNX op, in one place (as micrograd and tinygrad do). Ops built by
 * composing these (dropout as a Mul by a seeded mask, GELU from primitives, mean-pooling…) need no rule of their own.
 * Ops that produce no float gradient (Equal, Not, Greater, OneHot, Cast of integers) are simply absent:
 * their outputs never need a gradient.
 */
import type { GradientRule } from './gradient-rule.ts';
import * as elementwise from './rules/elementwise.ts';
import { gemmRule, matMulRule } from './rules/linear.ts';
import { layerNormalizationRule, logSoftmaxRule, softmaxCrossEntropyRule, softmaxRule } from './rules/nn.ts';
import * as shape from './rules/shape.ts';

export const gradientRules: Readonly<Record<string, GradientRule>> = {
  Add: elementwise.addRule,
  Sub: elementwise.subRule,
  Mul: elementwise.mulRule,
  Div: elementwise.divRule,
  Neg: elementwise.negRule,
  Identity: elementwise.identityRule,
  Exp: elementwise.expRule,
  Log: elementwise.logRule,
  Sqrt: elementwise.sqrtRule,
  Reciprocal: elementwise.reciprocalRule,
  Pow: elementwise.powRule,
  Tanh: elementwise.tanhRule,
  Sigmoid: elementwise.sigmoidRule,
  Relu: elementwise.reluRule,
  Erf: elementwise.erfRule,
  Gelu: elementwise.geluRule,
  Where: elementwise.whereRule,
  Cast: elementwise.castRule,
  Expand: elementwise.expandRule,
  MatMul: matMulRule,
  Gemm: gemmRule,
  Softmax: softmaxRule,
  LogSoftmax: logSoftmaxRule,
  LayerNormalization: layerNormalizationRule,
  SoftmaxCrossEntropyLoss: softmaxCrossEntropyRule,
  ReduceSum: shape.reduceSumRule,
  ReduceMean: shape.reduceMeanRule,
  Reshape: shape.reshapeRule,
  Transpose: shape.transposeRule,
  Concat: shape.concatRule,
  Slice: shape.sliceRule,
  Pad: shape.padRule,
  Gather: shape.gatherRule,
};
