import { describe, expect, it } from 'vitest';
import { AppInfoController } from '../../renderer/src/app-info.svelte.ts';
import type { AppInfo } from '../../preload/contract.ts';

const info: AppInfo = {
  name: 'Accord',
  version: '9.9.9',
  platform: 'linux',
  arch: 'x64',
  nodeVersion: '22',
  onnxRuntimeVersion: '1',
  executionProviders: [{ name: 'cpu', available: true, reason: 'built in' }],
  selectedExecutionProvider: 'cpu',
};

describe('AppInfoController', () => {
  it('is loading until the answer arrives, then holds it', async () => {
    const controller = new AppInfoController();
    expect(controller.loading).toBe(true);
    await controller.load({ 'app.info': async () => info });
    expect(controller.loading).toBe(false);
    expect(controller.info?.version).toBe('9.9.9');
  });

  it('keeps the reason when the participant cannot be reached', async () => {
    const controller = new AppInfoController();
    await controller.load({ 'app.info': async () => Promise.reject(new Error('connection refused')) });
    expect(controller.error).toBe('connection refused');
    expect(controller.loading).toBe(false);
  });
});
