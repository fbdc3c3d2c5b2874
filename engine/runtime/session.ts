/**
 * A thin wrapper over an onnxruntime-node InferenceSession created from model bytes. Feeds and results are
 * host typed arrays with their shapes: Float32Array, Float64Array, BigInt64Array (int64 ids) or Uint8Array (bool).
 */
import * as ort from 'onnxruntime-node';
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
  private readonly session: ort.InferenceSession;

  private constructor(session: ort.InferenceSession) {
    this.session = session;
    this.inputNames = session.inputNames;
    this.outputNames = session.outputNames;
  }

  static async create(modelBytes: Uint8Array, options: EngineSessionOptions = {}): Promise<OnnxSession> {
    return new OnnxSession(await ort.InferenceSession.create(modelBytes, sessionOptions(options)));
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
