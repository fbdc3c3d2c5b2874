import { describe, it } from 'vitest';
import { AdaGrad } from '../../../engine/optim/adagrad.ts';
import { adagradReference, expectTrajectoriesClose, runUnderTest } from './reference-rules.ts';

describe('AdaGrad', () => {
  it('follows G ← G + g², θ ← θ − η g / (√G + ε) (Duchi et al. 2011) over six steps', () => {
    expectTrajectoriesClose(runUnderTest(new AdaGrad()), adagradReference(1e-10));
  });

  it('a zero gradient on the first steps does not divide by zero', () => {
    expectTrajectoriesClose(runUnderTest(new AdaGrad({ epsilon: 1e-3 })), adagradReference(1e-3));
  });
});
