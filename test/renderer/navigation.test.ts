import { describe, expect, it } from 'vitest';
import { Navigation, viewFromHash } from '../../renderer/src/navigation.svelte.ts';

describe('navigation', () => {
  it('reads the view from the hash and falls back to the overview', () => {
    expect(viewFromHash('#/privacy')).toBe('privacy');
    expect(viewFromHash('#privacy')).toBe('privacy');
    expect(viewFromHash('#/nowhere')).toBe('overview');
    expect(viewFromHash('')).toBe('overview');
  });

  it('changes the current view', () => {
    const navigation = new Navigation('#/datasets');
    expect(navigation.current).toBe('datasets');
    navigation.go('audit');
    expect(navigation.current).toBe('audit');
  });
});
