/**
 * The safetensors format, the one way the engine reads and writes it: in memory (safetensors-buffer.ts) or
 * streamed tensor by tensor (safetensors-file.ts), through one header parser (safetensors-header.ts). F32, F16 and
 * BF16 are read (widened to float32); F32 is written.
 */
export { decodeSafetensors, encodeSafetensors } from './safetensors-buffer.ts';
export type { SafetensorsContents } from './safetensors-buffer.ts';
export {
  assertSafetensorsMatchSpec,
  readSafetensorsFile,
  readSafetensorsLayout,
  SafetensorsWriter,
  writeSafetensorsFile,
} from './safetensors-file.ts';
export type {
  SafetensorsDtype,
  SafetensorsEntry,
  SafetensorsLayout,
  SafetensorsMetadata,
} from './safetensors-header.ts';
