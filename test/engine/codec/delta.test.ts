import { describe, expect, it } from 'vitest';
import { applyDelta, updateDelta } from '../../../engine/codec/delta.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';

describe('update deltas', () => {
  const global = new Map([['w', tensor([3], [1, 2, 3])]]);
  const local = new Map([['w', tensor([3], [1.5, 1, 3])]]);

  it('is local − global, and global + delta gives local back', () => {
    const delta = updateDelta(local, global);
    expect([...delta.get('w')!.data]).toEqual([0.5, -1, 0]);
    expect(applyDelta(global, delta)).toEqual(local);
  });

  it('refuses sets with different tensors', () => {
    expect(() => updateDelta(local, new Map([['v', tensor([3])]]))).toThrow('missing tensor "w"');
  });
});
