import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSha256Hex, sha256, sha256Hex, sha256HexOfFile, sha256HexOfStream } from '../../../engine/codec/sha256.ts';

// FIPS 180-2, appendix B.1: SHA-256("abc").
const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const bytes = new TextEncoder().encode('abc');

describe('sha256 helpers', () => {
  it('match the published test vector in every form', async () => {
    expect(sha256Hex(bytes)).toBe(abc);
    expect(Buffer.from(sha256(bytes)).toString('hex')).toBe(abc);
    expect(
      await sha256HexOfStream(
        (async function* () {
          yield bytes.subarray(0, 1);
          yield bytes.subarray(1);
        })(),
      ),
    ).toBe(abc);
    const file = join(mkdtempSync(join(tmpdir(), 'accord-sha-')), 'abc.bin');
    writeFileSync(file, bytes);
    expect(await sha256HexOfFile(file)).toBe(abc);
  });

  it('recognize a hex digest', () => {
    expect(isSha256Hex(abc)).toBe(true);
    expect(isSha256Hex(abc.toUpperCase())).toBe(false);
    expect(isSha256Hex(abc.slice(1))).toBe(false);
  });
});
