/**
 * Peak memory of importing a Llama-family model folder stored in BF16 (two shards), against the size of the
 * float32 model it becomes. Each phase runs in its own process so that its peak resident set is its own.
 *   node scripts/bench-model-folder.ts [--hidden 1024] [--layers 4] [--vocab 32000]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadPretrained } from '../engine/train/pretrained-checkpoint.ts';

const { values } = parseArgs({
  options: {
    hidden: { type: 'string' },
    layers: { type: 'string' },
    vocab: { type: 'string' },
    phase: { type: 'string' },
    dir: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('usage: npm run bench:model-folder -- [--hidden 1024] [--layers 4] [--vocab 32000]');
  process.exit(0);
}
const hidden = Number(values.hidden ?? 1024);
const layers = Number(values.layers ?? 4);
const vocab = Number(values.vocab ?? 32000);
const config = {
  model_type: 'llama',
  hidden_size: hidden,
  num_attention_heads: hidden / 64,
  num_key_value_heads: hidden / 256,
  num_hidden_layers: layers,
  intermediate_size: Math.round((hidden * 11) / 4),
  vocab_size: vocab,
  max_position_embeddings: 2048,
  tie_word_embeddings: false,
};

function tensorShapes(): [string, number[]][] {
  const [d, ff, kv] = [hidden, config.intermediate_size, config.num_key_value_heads * 64];
  const shapes: [string, number[]][] = [['model.embed_tokens.weight', [vocab, d]]];
  for (let i = 0; i < layers; i += 1) {
    const p = `model.layers.${i}`;
    shapes.push([`${p}.input_layernorm.weight`, [d]], [`${p}.post_attention_layernorm.weight`, [d]]);
    shapes.push([`${p}.self_attn.q_proj.weight`, [d, d]], [`${p}.self_attn.k_proj.weight`, [kv, d]]);
    shapes.push([`${p}.self_attn.v_proj.weight`, [kv, d]], [`${p}.self_attn.o_proj.weight`, [d, d]]);
    shapes.push([`${p}.mlp.gate_proj.weight`, [ff, d]], [`${p}.mlp.up_proj.weight`, [ff, d]]);
    shapes.push([`${p}.mlp.down_proj.weight`, [d, ff]]);
  }
  shapes.push(['model.norm.weight', [d]], ['lm_head.weight', [vocab, d]]);
  return shapes;
}

/** Writes one BF16 shard tensor by tensor (small random values), never holding it whole. */
function writeShard(path: string, shapes: [string, number[]][]): void {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, shape] of shapes) {
    const bytes = shape.reduce((a, b) => a * b) * 2;
    header[name] = { dtype: 'BF16', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  const fd = openSync(path, 'w');
  writeSync(fd, prefix);
  writeSync(fd, json);
  const chunk = new Uint16Array(1 << 20).map((_, i) => 0x3c00 + (i % 128));
  for (const [, shape] of shapes) {
    let left = shape.reduce((a, b) => a * b);
    while (left > 0) {
      const part = Math.min(left, chunk.length);
      writeSync(fd, new Uint8Array(chunk.buffer, 0, part * 2));
      left -= part;
    }
  }
  closeSync(fd);
}

function writeFolder(dir: string): void {
  const shapes = tensorShapes();
  const half = Math.ceil(shapes.length / 2);
  const shards = [shapes.slice(0, half), shapes.slice(half)];
  const weightMap: Record<string, string> = {};
  shards.forEach((part, i) => {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    writeShard(join(dir, file), part);
    for (const [name] of part) weightMap[name] = file;
  });
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: weightMap }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

if (values.phase === 'load') {
  const before = process.memoryUsage().rss;
  const model = loadPretrained(values.dir!);
  const floats = [...model.parameters.values(), ...(model.lmHead ? [model.lmHead] : [])].reduce(
    (n, t) => n + t.data.byteLength,
    0,
  );
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ float32Bytes: floats, rssBefore: before, peakRss: peak }));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'accord-bench-folder-'));
  try {
    writeFolder(dir);
    const self = fileURLToPath(import.meta.url);
    const args = [
      self,
      '--phase',
      'load',
      '--dir',
      dir,
      '--hidden',
      String(hidden),
      '--layers',
      String(layers),
      '--vocab',
      String(vocab),
    ];
    const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    const { float32Bytes, rssBefore, peakRss } = JSON.parse(run.stdout.trim()) as {
      float32Bytes: number;
      rssBefore: number;
      peakRss: number;
    };
    const growth = peakRss - rssBefore;
    console.log(`BF16 folder, ${layers} layers × ${hidden} wide, vocab ${vocab}: ${mib(float32Bytes / 2)} MiB on disk`);
    console.log(
      `float32 model ${mib(float32Bytes)} MiB; peak RSS grew ${mib(growth)} MiB (${(growth / float32Bytes).toFixed(2)}× the model)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
