/**
 * A thin wrapper over an onnxruntime-node InferenceSession created from model bytes. Feeds and results are
 * host typed arrays with their shapes: Float32Array, Float64Array, BigInt64Array (int64 ids) or Uint8Array (bool).
 */
import * as ort from 'onnxruntime-node';
import { selectExecutionProvider } from './execution-providers.ts';
import type { ExecutionProviderName } from './execution-providers.ts';
import { sessionOptions } from './session-options.ts';
import type { EngineSessionOptions } from './session-options.ts';

export type HostData = Float32Array | Float64Array | BigInt64Array | Uint8Array;

export interface HostTensor {
  readonly data: HostData;
  readonly shape: readonly number[];
}

function ortTensor(name: string, tensor: HostTensor): ort.Tensor {
  const size = tensor.shape.reduce((count, dim) => count * dim, 1);
  if (tensor.data.length !== size) {
    throw new Error(
      `input "${name}": shape [${tensor.shape.join(', ')}] needs ${size} values, got ${tensor.data.length}`,
    );
  }
  if (tensor.data instanceof Float32Array) return new ort.Tensor('float32', tensor.data, tensor.shape);
  if (tensor.data instanceof Float64Array) return new ort.Tensor('float64', tensor.data, tensor.shape);
  if (tensor.data instanceof BigInt64Array) return new ort.Tensor('int64', tensor.data, tensor.shape);
  return new ort.Tensor('bool', tensor.data, tensor.shape);
}

export class OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The provider the session was created with, and why when it is not the preferred one. */
  readonly executionProvider: ExecutionProviderName;
  readonly fallbackReason: string | undefined;
  private readonly session: ort.InferenceSession;

  private constructor(session: ort.InferenceSession, provider: ExecutionProviderName, fallbackReason?: string) {
    this.session = session;
    this.inputNames = session.inputNames;
    this.outputNames = session.outputNames;
    this.executionProvider = provider;
    this.fallbackReason = fallbackReason;
  }

  /** Creates a session on the preferred provider; if that provider cannot load the model, on the CPU. */
  static async create(modelBytes: Uint8Array, options: EngineSessionOptions = {}): Promise<OnnxSession> {
    const provider = options.executionProvider ?? selectExecutionProvider();
    try {
      const session = await ort.InferenceSession.create(
        modelBytes,
        sessionOptions({ ...options, executionProvider: provider }),
      );
      return new OnnxSession(session, provider);
    } catch (error) {
      if (provider === 'cpu') throw error;
      const session = await ort.InferenceSession.create(
        modelBytes,
        sessionOptions({ ...options, executionProvider: 'cpu' }),
      );
      return new OnnxSession(session, 'cpu', `${provider} failed to create the session: ${String(error)}`);
    }
  }

  /** Runs the model; returns the requested outputs (all by default) by name. */
  async run(
    feeds: Readonly<Record<string, HostTensor>>,
    outputs: readonly string[] = this.outputNames,
  ): Promise<Map<string, HostTensor>> {
    for (const name of this.inputNames) {
      if (!(name in feeds)) throw new Error(`missing input "${name}" (the model takes ${this.inputNames.join(', ')})`);
    }
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) {
      if (!this.inputNames.includes(name))
        throw new Error(`unknown input "${name}" (the model takes ${this.inputNames.join(', ')})`);
      ortFeeds[name] = ortTensor(name, tensor);
    }
    const results = await this.session.run(ortFeeds, [...outputs]);
    const host = new Map<string, HostTensor>();
    for (const name of outputs) {
      const value = results[name] as ort.Tensor;
      host.set(name, { data: value.data as HostData, shape: [...value.dims] });
    }
    return host;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
