import type { AppInfo } from '../../../preload/contract.ts';
import {
  describeExecutionProviders,
  onnxRuntimeVersion,
  selectExecutionProvider,
} from '../../../engine/runtime/execution-providers.ts';
import packageJson from '../../../package.json' with { type: 'json' };

export function readAppInfo(): AppInfo {
  const executionProviders = describeExecutionProviders();
  return {
    name: packageJson.productName,
    version: packageJson.version,
    platform: process.platform,
    arch: process.arch,
    nodeVersion: process.versions.node,
    onnxRuntimeVersion,
    executionProviders,
    selectedExecutionProvider: selectExecutionProvider(executionProviders),
  };
}
