import { describe, expect, it } from 'vitest';
import { assertMatchesSpec, flatten, specOf, tensor, unflatten } from '../../../engine/tensor/parameter-set.ts';

const parameters = new Map([
  ['embedding.weight', tensor([2, 3], [1, 2, 3, 4, 5, 6])],
  ['head.bias', tensor([2], [7, 8])],
]);

describe('ParameterSet', () => {
  it('flattens in insertion order and unflattens back to equal tensors', () => {
    const flat = flatten(parameters);
    expect([...flat]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(unflatten(specOf(parameters), flat)).toEqual(parameters);
  });

  it('refuses a vector of the wrong length', () => {
    expect(() => unflatten(specOf(parameters), new Float32Array(7))).toThrow('expected 8 values for this spec, got 7');
  });

  it('names the tensor whose shape differs from the spec', () => {
    const wrong = new Map([...parameters, ['head.bias', tensor([1, 2], [7, 8])]]);
    expect(() => assertMatchesSpec(wrong, specOf(parameters))).toThrow(
      'tensor "head.bias" has shape [1, 2], expected [2]',
    );
  });

  it('refuses data whose length does not fit the shape', () => {
    expect(() => tensor([2, 2], [1, 2, 3])).toThrow('needs 4 values, got 3');
  });
});
