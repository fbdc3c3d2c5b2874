import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { receiptSigningText, signReceipt, verifyReceipt } from '../../protocol/receipt.ts';
import {
  decodeSignatureHeader,
  ed25519PublicKeyFromRaw,
  ed25519PublicKeyToRaw,
  requestSigningText,
  sha256Hex,
  signatureHeaders,
  signedRequestHeaders,
  signRequest,
  verifyRequestSignature,
} from '../../protocol/request-signature.ts';

describe('request signatures', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const fields = {
    methodPath: '/accord.v1.FederationService/PollTask',
    participantId: 'p-1',
    timestampMs: 1_700_000_000_000,
    nonce: '0123456789abcdef0123456789abcdef',
    bodySha256: sha256Hex(new Uint8Array([1, 2])),
  };

  it('signs the method, participant, timestamp, nonce and body hash, each of which the signature binds', () => {
    expect(requestSigningText(fields).toString()).toBe(
      `accord.v1\n/accord.v1.FederationService/PollTask\np-1\n1700000000000\n${fields.nonce}\n${fields.bodySha256}`,
    );
    const signature = decodeSignatureHeader(signRequest(fields, privateKey));
    expect(verifyRequestSignature(fields, signature, publicKey)).toBe(true);
    for (const changed of [
      { ...fields, methodPath: '/accord.v1.FederationService/Decline' },
      { ...fields, participantId: 'p-2' },
      { ...fields, timestampMs: fields.timestampMs + 1 },
      { ...fields, nonce: 'f'.repeat(32) },
      { ...fields, bodySha256: sha256Hex(new Uint8Array([1, 3])) },
    ]) {
      expect(verifyRequestSignature(changed, signature, publicKey)).toBe(false);
    }
    expect(verifyRequestSignature(fields, Buffer.from('short'), publicKey)).toBe(false);
  });

  it('gives two identical requests signed in the same millisecond different nonces and signatures', () => {
    const request = { methodPath: fields.methodPath, participantId: 'p-1', bodySha256: fields.bodySha256 };
    const first = signedRequestHeaders(request, privateKey, fields.timestampMs);
    const second = signedRequestHeaders(request, privateKey, fields.timestampMs);
    expect(first[signatureHeaders.timestamp]).toBe(second[signatureHeaders.timestamp]);
    expect(first[signatureHeaders.nonce]).toMatch(/^[0-9a-f]{32}$/);
    expect(first[signatureHeaders.nonce]).not.toBe(second[signatureHeaders.nonce]);
    expect(first[signatureHeaders.signature]).not.toBe(second[signatureHeaders.signature]);
    const nonce = first[signatureHeaders.nonce]!;
    const signature = decodeSignatureHeader(first[signatureHeaders.signature]!);
    expect(verifyRequestSignature({ ...request, timestampMs: fields.timestampMs, nonce }, signature, publicKey)).toBe(
      true,
    );
  });

  it('reads a signature only in canonical padded base64 of 64 bytes', () => {
    const text = signRequest(fields, privateKey);
    const bytes = decodeSignatureHeader(text);
    expect(bytes).toHaveLength(64);
    const unpadded = text.replace(/=+$/, '');
    const base64url = bytes.toString('base64url');
    expect(unpadded).not.toBe(text);
    for (const other of [unpadded, base64url, `${text} `, `${text.slice(0, -3)}B==`]) {
      expect(() => decodeSignatureHeader(other), other).toThrow(/not canonical base64 with padding/);
    }
    expect(() => decodeSignatureHeader(Buffer.alloc(63).toString('base64'))).toThrow(/has 63 bytes/);
  });

  it('carries Ed25519 public keys as 32 raw bytes and back', () => {
    const raw = ed25519PublicKeyToRaw(publicKey);
    expect(raw).toHaveLength(32);
    expect(ed25519PublicKeyFromRaw(raw).export({ format: 'der', type: 'spki' })).toEqual(
      publicKey.export({ format: 'der', type: 'spki' }),
    );
    expect(() => ed25519PublicKeyFromRaw(new Uint8Array(31))).toThrow(/32 bytes, got 31/);
  });

  it('verifies a receipt only with every field as signed', () => {
    const receipt = {
      uploadId: 'u-1',
      roundId: 'r-1',
      participantId: 'p-1',
      sha256: 'ab'.repeat(32),
      bytes: 32,
      acceptedAt: '2026-01-01T00:00:00.000Z',
    };
    const signature = signReceipt(receipt, privateKey);
    expect(verifyReceipt(receipt, signature, publicKey)).toBe(true);
    expect(verifyReceipt({ ...receipt, bytes: 33 }, signature, publicKey)).toBe(false);
    expect(verifyReceipt(receipt, signature, generateKeyPairSync('ed25519').publicKey)).toBe(false);
  });

  it('signs the audit head into a receipt that carries one, and an unchanged text into one that does not', () => {
    const receipt = {
      uploadId: 'u-2',
      roundId: 'r-2',
      participantId: 'p-2',
      sha256: 'cd'.repeat(32),
      bytes: 64,
      acceptedAt: '2026-01-02T00:00:00.000Z',
    };
    const withHead = { ...receipt, auditSeq: 7, auditHash: 'ef'.repeat(32) };
    const signature = signReceipt(withHead, privateKey);
    expect(verifyReceipt(withHead, signature, publicKey)).toBe(true);
    expect(verifyReceipt({ ...withHead, auditSeq: 6 }, signature, publicKey)).toBe(false);
    expect(verifyReceipt({ ...withHead, auditHash: '01'.repeat(32) }, signature, publicKey)).toBe(false);
    expect(verifyReceipt(receipt, signature, publicKey)).toBe(false);
    expect(receiptSigningText(receipt).toString('utf8').split('\n')).toHaveLength(7);
    expect(receiptSigningText(withHead).toString('utf8').split('\n').slice(7)).toEqual(['7', 'ef'.repeat(32)]);
    expect(verifyReceipt(receipt, signReceipt(receipt, privateKey), publicKey)).toBe(true);
  });
});
