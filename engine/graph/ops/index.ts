/** Every op builder, for `import * as op from '…/graph/ops/index.ts'`. */
export * from './elementwise.ts';
export * from './linear.ts';
export * from './nn.ts';
export * from './reduce.ts';
export * from './shape-ops.ts';
