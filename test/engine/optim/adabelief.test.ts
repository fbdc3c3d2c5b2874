import { describe, it } from 'vitest';
import { AdaBelief } from '../../../engine/optim/adabelief.ts';
import { adamFamilyReference, expectTrajectoriesClose, runUnderTest } from './reference-rules.ts';

describe('AdaBelief', () => {
  it('follows Zhuang et al. 2020, Algorithm 2 (s ← β₂s + (1 − β₂)(g − m)² + ε) over six steps', () => {
    const reference = adamFamilyReference({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8, belief: true });
    expectTrajectoriesClose(runUnderTest(new AdaBelief({ epsilon: 1e-8 })), reference);
  });

  it('with its default ε = 1e-16 and decoupled weight decay', () => {
    const optimizer = new AdaBelief({ beta1: 0.85, beta2: 0.99, weightDecay: 0.01 });
    const reference = adamFamilyReference({ beta1: 0.85, beta2: 0.99, epsilon: 1e-16, belief: true, decoupled: 0.01 });
    expectTrajectoriesClose(runUnderTest(optimizer), reference);
  });
});
