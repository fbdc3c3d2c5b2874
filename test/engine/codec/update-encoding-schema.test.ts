import { describe, expect, it } from 'vitest';
import { parseUpdateEncoding } from '../../../engine/codec/update-encoding-schema.ts';

describe('parseUpdateEncoding', () => {
  it('defaults to dense float32 and keeps what is given', () => {
    expect(parseUpdateEncoding({})).toEqual({ quantization: 'none', topKFraction: 1 });
    expect(parseUpdateEncoding({ quantization: 'int8', topKFraction: 0.01 })).toEqual({
      quantization: 'int8',
      topKFraction: 0.01,
    });
  });

  it('refuses an unknown quantization, a fraction outside (0, 1] and unknown fields, naming them', () => {
    expect(() => parseUpdateEncoding({ quantization: 'int4' })).toThrow('quantization');
    expect(() => parseUpdateEncoding({ topKFraction: 0 })).toThrow('topKFraction');
    expect(() => parseUpdateEncoding({ topKFraction: 1.5 })).toThrow('topKFraction');
    expect(() => parseUpdateEncoding({ sparsity: 0.1 })).toThrow('sparsity');
  });
});
