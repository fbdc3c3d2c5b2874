/**
 * Training checkpoints as safetensors files: the model's parameters under their own names (so Hugging Face
 * tools load them as a state dict), optionally the optimizer's slots under "optimizer/<slot>/<parameter>",
 * and string metadata (model config, labels, step, optimizer algorithm) in `__metadata__`.
 * Files are written to a temporary name, synced, then renamed, so a crash never leaves half a checkpoint.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { OptimizerState } from '../optim/optimizer.ts';
import type { Float32Tensor, ParameterSet } from '../tensor/parameter-set.ts';
import { decodeSafetensors, encodeSafetensors } from '../codec/safetensors.ts';
import type { SafetensorsMetadata } from '../codec/safetensors.ts';

export interface Checkpoint {
  parameters: ParameterSet;
  optimizer?: OptimizerState;
  metadata?: SafetensorsMetadata;
}

const optimizerPrefix = 'optimizer/';
const optimizerKey = 'accord.optimizer';

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const tensors = new Map<string, Float32Tensor>();
  for (const [name, value] of checkpoint.parameters) {
    if (name.startsWith(optimizerPrefix)) throw new Error(`parameter name "${name}" uses the reserved "optimizer/"`);
    tensors.set(name, value);
  }
  const metadata: SafetensorsMetadata = { format: 'pt', ...checkpoint.metadata };
  const optimizer = checkpoint.optimizer;
  if (optimizer) {
    for (const [key, data] of optimizer.slots) tensors.set(optimizerPrefix + key, { shape: [data.length], data });
    const { algorithm, step, hyperparameters } = optimizer;
    metadata[optimizerKey] = JSON.stringify({ algorithm, step, hyperparameters });
  }
  return encodeSafetensors(tensors, metadata);
}

export function decodeCheckpoint(bytes: Uint8Array, source = 'checkpoint'): Checkpoint {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  const parameters = new Map<string, Float32Tensor>();
  const slots = new Map<string, Float32Array>();
  for (const [name, value] of tensors) {
    if (name.startsWith(optimizerPrefix)) slots.set(name.slice(optimizerPrefix.length), value.data);
    else parameters.set(name, value);
  }
  const described = metadata[optimizerKey];
  delete metadata[optimizerKey];
  delete metadata.format;
  if (!described) {
    if (slots.size > 0) throw new Error(`${source}: optimizer tensors without "${optimizerKey}" metadata`);
    return { parameters, metadata };
  }
  const { algorithm, step, hyperparameters } = JSON.parse(described) as Omit<OptimizerState, 'slots'>;
  return { parameters, metadata, optimizer: { algorithm, step, hyperparameters, slots } };
}

export function saveCheckpoint(path: string, checkpoint: Checkpoint): void {
  const bytes = encodeCheckpoint(checkpoint);
  const temporary = `${path}.${process.pid}.partial`;
  const fd = openSync(temporary, 'w');
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

export function loadCheckpoint(path: string): Checkpoint {
  return decodeCheckpoint(readFileSync(path), path);
}
