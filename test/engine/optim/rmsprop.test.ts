import { describe, it } from 'vitest';
import { RmsProp } from '../../../engine/optim/rmsprop.ts';
import { expectTrajectoriesClose, rmspropReference, runUnderTest } from './reference-rules.ts';

describe('RMSProp', () => {
  it('follows v ← ρv + (1 − ρ) g², θ ← θ − η g / (√v + ε) (Tieleman & Hinton 2012)', () => {
    expectTrajectoriesClose(runUnderTest(new RmsProp()), rmspropReference(0.99, 1e-8));
  });

  it('follows the same rule with another decay', () => {
    expectTrajectoriesClose(runUnderTest(new RmsProp({ decay: 0.9, epsilon: 1e-6 })), rmspropReference(0.9, 1e-6));
  });
});
