import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from '../../../engine/codec/safetensors-buffer.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';

/** A file built byte by byte from the format description, independently of the code under test. */
function handBuilt(): Buffer {
  const json =
    '{"__metadata__":{"note":"hi"},"b":{"dtype":"F32","shape":[],"data_offsets":[8,12]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const header = Buffer.from(json, 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  const data = Buffer.alloc(12);
  data.writeFloatLE(1.5, 0);
  data.writeFloatLE(-2, 4);
  data.writeFloatLE(0.25, 8);
  return Buffer.concat([length, header, data]);
}

/** The Hugging Face reference library, when a Python that has it is configured (see README, Engine). */
const python = process.env.ACCORD_SAFETENSORS_PYTHON;

describe('safetensors', () => {
  it('reads a hand-built file: tensors ordered by offset, a 0-d tensor, the metadata map', () => {
    const { tensors, metadata } = decodeSafetensors(handBuilt());
    expect([...tensors.keys()]).toEqual(['a', 'b']);
    expect(tensors.get('a')).toEqual(tensor([2], [1.5, -2]));
    expect(tensors.get('b')).toEqual(tensor([], [0.25]));
    expect(metadata).toEqual({ note: 'hi' });
  });

  it('writes the layout of the spec: u64 LE header length, space-padded JSON, LE float32 data', () => {
    const bytes = Buffer.from(encodeSafetensors(new Map([['w', tensor([1, 2], [3, -0.5])]]), { step: '7' }));
    const length = Number(bytes.readBigUInt64LE(0));
    expect((8 + length) % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
    expect(header).toEqual({
      __metadata__: { step: '7' },
      w: { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] },
    });
    expect([bytes.readFloatLE(8 + length), bytes.readFloatLE(12 + length)]).toEqual([3, -0.5]);
    expect(bytes.length).toBe(8 + length + 8);
  });

  it('round-trips tensors in order, with their shapes and exact values', () => {
    const tensors = new Map([
      ['embeddings.word.weight', tensor([3, 2], [0.1, 0.2, 0.3, -0.4, 1e-30, 3e38])],
      ['10', tensor([1], [Number.NaN])],
      ['classifier.bias', tensor([2], [1, 2])],
    ]);
    const decoded = decodeSafetensors(encodeSafetensors(tensors));
    expect([...decoded.tensors.keys()]).toEqual([...tensors.keys()]);
    expect(decoded.tensors).toEqual(tensors);
  });

  it('widens BF16 to float32 exactly (bf16 0x3FC0 = 1.5)', () => {
    const json = Buffer.from('{"x":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}}');
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(json.length));
    const { tensors } = decodeSafetensors(Buffer.concat([length, json, Buffer.from([0xc0, 0x3f])]));
    expect(tensors.get('x')!.data[0]).toBe(1.5);
  });

  it('names what is wrong in a damaged file', () => {
    const good = handBuilt();
    expect(() => decodeSafetensors(good.subarray(0, good.length - 1), 'm.safetensors')).toThrow(
      'm.safetensors: tensor "b" runs past the end of the file',
    );
    expect(() => decodeSafetensors(Buffer.concat([good, Buffer.alloc(4)]), 'm')).toThrow(
      'm: 4 bytes after the last tensor',
    );
    const i64 = Buffer.from(
      good.toString('latin1').replace('"dtype":"F32","shape":[]', '"dtype":"I64","shape":[]'),
      'latin1',
    );
    expect(() => decodeSafetensors(i64, 'm')).toThrow('m: tensor "b" has dtype I64; only F32, F16 and BF16 are read');
    expect(() => decodeSafetensors(Uint8Array.of(255, 255, 255, 255, 0, 0, 0, 0, 1), 'm')).toThrow(
      'exceeds the file or the 100 MB limit',
    );
  });

  it.skipIf(!python)('Hugging Face safetensors loads the file with the same values and metadata', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-st-'));
    const file = join(dir, 'model.safetensors');
    const weight = tensor([2, 3], [1, 2, 3, 4, 5, 6.5]);
    writeFileSync(
      file,
      encodeSafetensors(
        new Map([
          ['w', weight],
          ['b', tensor([1], [-1])],
        ]),
        { format: 'pt' },
      ),
    );
    const script = `import json,sys\nfrom safetensors import safe_open\nwith safe_open(sys.argv[1], "numpy") as f:\n  print(json.dumps({"meta": f.metadata(), "w": f.get_tensor("w").tolist(), "b": f.get_tensor("b").tolist()}))\n  from safetensors.numpy import save_file\n  save_file({"z": f.get_tensor("w")}, sys.argv[1] + ".hf", metadata={"k": "v"})`;
    const out = JSON.parse(execFileSync(python!, ['-c', script, file], { encoding: 'utf8' }));
    expect(out).toEqual({
      meta: { format: 'pt' },
      w: [
        [1, 2, 3],
        [4, 5, 6.5],
      ],
      b: [-1],
    });
    const back = decodeSafetensors(readFileSync(`${file}.hf`));
    expect(back.tensors.get('z')).toEqual(weight);
    expect(back.metadata).toEqual({ k: 'v' });
  });
});
