import { describe, expect, it } from 'vitest';
import { decodeSecAggMessage, encodeSecAggMessage } from '../../../engine/secagg/message-codec.ts';
import type { SecAggMessage } from '../../../engine/secagg/messages.ts';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const head = { roundId: 'round-é', participantId: 'site-1' };

const samples: SecAggMessage[] = [
  {
    kind: 'advertise-keys-request',
    ...head,
    threshold: 6,
    degree: 9,
    vectorLength: 1000,
    clipRange: 0.125,
    bitsPerValue: 20,
  },
  { kind: 'advertise-keys', ...head, encryptionKey: bytes(1, 2), maskKey: bytes(3) },
  {
    kind: 'share-keys-request',
    ...head,
    neighbours: [{ participantId: 'a', encryptionKey: bytes(9), maskKey: bytes() }],
  },
  {
    kind: 'share-keys',
    ...head,
    sealedShares: [
      { peerId: 'b', sealed: bytes(1, 2, 3) },
      { peerId: 'c', sealed: bytes() },
    ],
    selfMaskCommitment: new Uint8Array(32).fill(5),
  },
  { kind: 'masked-input-request', ...head, sealedShares: [] },
  { kind: 'masked-input', ...head, maskedInput: bytes(0, 0, 0, 255) },
  { kind: 'unmask-request', ...head, selfMaskSharesOf: ['a', 'b'], maskKeySharesOf: ['c'] },
  { kind: 'unmask', ...head, selfMaskShares: [{ peerId: 'a', share: bytes(7) }], maskKeyShares: [] },
];

describe('secure-aggregation message encoding', () => {
  for (const message of samples) {
    it(`round-trips ${message.kind}`, () => {
      expect(decodeSecAggMessage(encodeSecAggMessage(message))).toEqual(message);
    });
  }

  it('names the field where a truncated message ends', () => {
    const encoded = encodeSecAggMessage(samples[6]!);
    expect(() => decodeSecAggMessage(encoded.subarray(0, encoded.length - 1))).toThrow(
      /truncated while reading maskKeySharesOf\[0\]/,
    );
  });

  it('refuses trailing bytes, unknown kinds and other format versions', () => {
    const encoded = encodeSecAggMessage(samples[1]!);
    expect(() => decodeSecAggMessage(Uint8Array.from([...encoded, 0]))).toThrow(/1 unexpected trailing bytes/);
    expect(() => decodeSecAggMessage(Uint8Array.from([1, 99]))).toThrow(/unknown secure-aggregation message kind 99/);
    expect(() => decodeSecAggMessage(Uint8Array.from([2, 0]))).toThrow(/format 2 is not supported/);
  });

  it('refuses a list count larger than the bytes that follow', () => {
    const encoded = encodeSecAggMessage(samples[4]!);
    const view = new DataView(encoded.buffer, encoded.byteOffset);
    view.setUint32(encoded.length - 4, 1_000_000);
    expect(() => decodeSecAggMessage(encoded)).toThrow(/claims 1000000 items/);
  });
});
