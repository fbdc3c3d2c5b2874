/**
 * Writes the tray icons (resources/icons/tray/<status>.png and @2x): a filled disc in the status colour with a
 * white ring, drawn here so the icons are reproducible without an image editor. PNG written by hand (zlib).
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const colours: Record<string, [number, number, number]> = {
  idle: [31, 95, 191],
  training: [29, 122, 69],
  attention: [240, 180, 41],
  offline: [164, 22, 26],
};

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function disc(size: number, [r, g, b]: [number, number, number]): Buffer {
  const rows: Buffer[] = [];
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - centre, y - centre) / (size / 2);
      const inner = d < 0.72;
      const ring = d >= 0.72 && d < 0.95;
      const pixel = inner ? [r, g, b, 255] : ring ? [255, 255, 255, 255] : [0, 0, 0, 0];
      row.set(pixel, 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const [name, colour] of Object.entries(colours)) {
  writeFileSync(`resources/icons/tray/${name}.png`, disc(16, colour));
  writeFileSync(`resources/icons/tray/${name}@2x.png`, disc(32, colour));
}
process.stdout.write('wrote resources/icons/tray/*.png\n');
