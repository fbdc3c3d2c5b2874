/**
 * Which execution providers onnxruntime-node can use on this machine, and which one the engine picks.
 * Preference follows docs/architecture.md: CUDA (Linux/Windows), DirectML (Windows), CoreML (macOS), CPU last.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';

export type ExecutionProviderName = 'cuda' | 'dml' | 'coreml' | 'cpu';

export interface ExecutionProviderStatus {
  name: ExecutionProviderName;
  available: boolean;
  reason: string;
}

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('onnxruntime-node/package.json'));

export const onnxRuntimeVersion: string = (require('onnxruntime-node/package.json') as { version: string }).version;

/** CUDA's provider library is an optional download of onnxruntime-node's install script. */
function cudaLibraryPresent(): boolean {
  const binDir = join(packageDir, 'bin', 'napi-v6', process.platform, process.arch);
  const file = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return existsSync(join(binDir, file));
}

function platformCandidates(platform: NodeJS.Platform): ExecutionProviderName[] {
  if (platform === 'win32') return ['cuda', 'dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return ['cuda', 'cpu'];
}

function statusOf(name: ExecutionProviderName, backends: ReadonlySet<string>): ExecutionProviderStatus {
  if (name === 'cpu') return { name, available: true, reason: 'built into onnxruntime-node' };
  if (!backends.has(name)) {
    return {
      name,
      available: false,
      reason: `not built into onnxruntime-node ${onnxRuntimeVersion} for this platform`,
    };
  }
  if (name === 'cuda' && !cudaLibraryPresent()) {
    return {
      name,
      available: false,
      reason:
        'CUDA provider library not installed (install it: ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node)',
    };
  }
  return { name, available: true, reason: 'provider library present' };
}

/** Every provider that matters on this platform, in order of preference. */
export function describeExecutionProviders(platform: NodeJS.Platform = process.platform): ExecutionProviderStatus[] {
  const backends = new Set(ort.listSupportedBackends().map((backend) => backend.name));
  return platformCandidates(platform).map((name) => statusOf(name, backends));
}

/** The first available provider in order of preference; CPU is always available. */
export function selectExecutionProvider(
  statuses: ExecutionProviderStatus[] = describeExecutionProviders(),
): ExecutionProviderName {
  return statuses.find((status) => status.available)?.name ?? 'cpu';
}

/** Where a job's sessions run: the provider asked for ('auto' picks), the one used, and why they differ. */
export interface ExecutionDevice {
  readonly requested: ExecutionProviderName | 'auto';
  readonly provider: ExecutionProviderName;
  readonly fallbackReason?: string;
}

/** The provider to use for a preference: the asked one when available here, else the CPU, saying why. */
export function resolveExecutionDevice(
  requested: ExecutionProviderName | 'auto',
  statuses: ExecutionProviderStatus[] = describeExecutionProviders(),
): ExecutionDevice {
  if (requested === 'auto') return { requested, provider: selectExecutionProvider(statuses) };
  const status = statuses.find((candidate) => candidate.name === requested);
  if (status?.available) return { requested, provider: requested };
  const reason = status?.reason ?? `not offered on ${process.platform}`;
  return { requested, provider: 'cpu', fallbackReason: `${requested} is not available: ${reason}` };
}
