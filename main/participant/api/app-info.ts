import type { AppInfo } from '../../../preload/contract.ts';
import {
  describeExecutionProviders,
  onnxRuntimeVersion,
  selectExecutionProvider,
} from '../../../engine/runtime/execution-providers.ts';
import packageJson from '../../../package.json' with { type: 'json' };

/** `preferred` is the workstation's compute-device setting: honoured when that provider is available. */
export function readAppInfo(preferred = 'auto'): AppInfo {
  const executionProviders = describeExecutionProviders();
  const chosen = executionProviders.find((provider) => provider.name === preferred && provider.available);
  return {
    name: packageJson.productName,
    version: packageJson.version,
    platform: process.platform,
    arch: process.arch,
    nodeVersion: process.versions.node,
    onnxRuntimeVersion,
    executionProviders,
    selectedExecutionProvider: chosen?.name ?? selectExecutionProvider(executionProviders),
  };
}
