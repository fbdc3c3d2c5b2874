/**
 * Bytes for every secure-aggregation message: a format version, a kind tag, then the fields in the
 * order of `messages.ts`. Decoding checks every length and refuses trailing bytes.
 */
import { ByteReader, ByteWriter } from './byte-io.ts';
import { SecAggProtocolError } from './errors.ts';
import type { PeerShare, PublicKeyEntry, SealedShare, SecAggMessage } from './messages.ts';

const formatVersion = 1;
const kinds = [
  'advertise-keys-request',
  'advertise-keys',
  'share-keys-request',
  'share-keys',
  'masked-input-request',
  'masked-input',
  'unmask-request',
  'unmask',
] as const;

type Kind = (typeof kinds)[number];

function writeSealed(writer: ByteWriter, items: readonly SealedShare[]): void {
  writer.u32(items.length);
  for (const item of items) writer.string(item.peerId).bytes(item.sealed);
}

function writePeerShares(writer: ByteWriter, items: readonly PeerShare[]): void {
  writer.u32(items.length);
  for (const item of items) writer.string(item.peerId).bytes(item.share);
}

function writeKeys(writer: ByteWriter, items: readonly PublicKeyEntry[]): void {
  writer.u32(items.length);
  for (const item of items) writer.string(item.participantId).bytes(item.encryptionKey).bytes(item.maskKey);
}

function writeBody(writer: ByteWriter, message: SecAggMessage): void {
  switch (message.kind) {
    case 'advertise-keys-request':
      writer.u32(message.threshold).u32(message.degree).u32(message.vectorLength);
      writer.f64(message.clipRange).u32(message.bitsPerValue);
      return;
    case 'advertise-keys':
      writer.bytes(message.encryptionKey).bytes(message.maskKey);
      return;
    case 'share-keys-request':
      return writeKeys(writer, message.neighbours);
    case 'share-keys':
      writeSealed(writer, message.sealedShares);
      writer.bytes(message.selfMaskCommitment);
      return;
    case 'masked-input-request':
      return writeSealed(writer, message.sealedShares);
    case 'masked-input':
      writer.bytes(message.maskedInput);
      return;
    case 'unmask-request':
      writer.strings(message.selfMaskSharesOf).strings(message.maskKeySharesOf);
      return;
    case 'unmask':
      writePeerShares(writer, message.selfMaskShares);
      writePeerShares(writer, message.maskKeyShares);
  }
}

export function encodeSecAggMessage(message: SecAggMessage): Uint8Array {
  const writer = new ByteWriter().u8(formatVersion).u8(kinds.indexOf(message.kind));
  writer.string(message.roundId).string(message.participantId);
  writeBody(writer, message);
  return writer.finish();
}

function readSealed(reader: ByteReader): SealedShare[] {
  return reader.list('sealed shares', (i) => ({
    peerId: reader.string(`sealed[${i}].peer`),
    sealed: reader.bytes(`sealed[${i}]`),
  }));
}

function readPeerShares(reader: ByteReader, field: string): PeerShare[] {
  return reader.list(field, (i) => ({
    peerId: reader.string(`${field}[${i}].peer`),
    share: reader.bytes(`${field}[${i}]`),
  }));
}

function readKeys(reader: ByteReader): PublicKeyEntry[] {
  return reader.list('neighbours', (i) => ({
    participantId: reader.string(`neighbours[${i}].id`),
    encryptionKey: reader.bytes(`neighbours[${i}].encryptionKey`),
    maskKey: reader.bytes(`neighbours[${i}].maskKey`),
  }));
}

function readBody(reader: ByteReader, kind: Kind, roundId: string, participantId: string): SecAggMessage {
  const head = { roundId, participantId };
  switch (kind) {
    case 'advertise-keys-request':
      return {
        kind,
        ...head,
        threshold: reader.u32('threshold'),
        degree: reader.u32('degree'),
        vectorLength: reader.u32('vectorLength'),
        clipRange: reader.f64('clipRange'),
        bitsPerValue: reader.u32('bitsPerValue'),
      };
    case 'advertise-keys':
      return { kind, ...head, encryptionKey: reader.bytes('encryptionKey'), maskKey: reader.bytes('maskKey') };
    case 'share-keys-request':
      return { kind, ...head, neighbours: readKeys(reader) };
    case 'share-keys':
      return {
        kind,
        ...head,
        sealedShares: readSealed(reader),
        selfMaskCommitment: reader.bytes('selfMaskCommitment'),
      };
    case 'masked-input-request':
      return { kind, ...head, sealedShares: readSealed(reader) };
    case 'masked-input':
      return { kind, ...head, maskedInput: reader.bytes('maskedInput') };
    case 'unmask-request':
      return {
        kind,
        ...head,
        selfMaskSharesOf: reader.strings('selfMaskSharesOf'),
        maskKeySharesOf: reader.strings('maskKeySharesOf'),
      };
    case 'unmask':
      return {
        kind,
        ...head,
        selfMaskShares: readPeerShares(reader, 'selfMaskShares'),
        maskKeyShares: readPeerShares(reader, 'maskKeyShares'),
      };
  }
}

export function decodeSecAggMessage(bytes: Uint8Array): SecAggMessage {
  const reader = new ByteReader(bytes);
  const version = reader.u8('format version');
  if (version !== formatVersion) {
    throw new SecAggProtocolError(
      `secure-aggregation message format ${version} is not supported (expected ${formatVersion})`,
    );
  }
  const tag = reader.u8('message kind');
  const kind = kinds[tag];
  if (kind === undefined) throw new SecAggProtocolError(`unknown secure-aggregation message kind ${tag}`);
  const message = readBody(reader, kind, reader.string('roundId'), reader.string('participantId'));
  reader.end(kind);
  return message;
}
