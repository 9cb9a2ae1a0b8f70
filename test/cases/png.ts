/** A minimal PNG encoder for tests (8-bit, no interlace), so photos can be made without an image library. */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * Encodes `pixel(x, y)` → [r, g, b] as an RGB PNG (colour type 2), or as greyscale (type 0) when `grey`.
 * Rows use filter `filter` (0 none, 1 sub, 2 up, 4 paeth are exercised by the decoder tests).
 */
export function encodePng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
  opts: { grey?: boolean; filter?: 0 | 1 | 2 | 3 | 4 } = {},
): Buffer {
  const channels = opts.grey ? 1 : 3;
  const filter = opts.filter ?? 0;
  const rowLen = width * channels;
  const raw = Buffer.alloc(height * (rowLen + 1));
  let prev = Buffer.alloc(rowLen);
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(rowLen);
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      if (opts.grey) row[x] = r;
      else row.set([r, g, b], x * 3);
    }
    const off = y * (rowLen + 1);
    raw[off] = filter;
    for (let i = 0; i < rowLen; i++) {
      const a = i >= channels ? row[i - channels]! : 0;
      const b = prev[i]!;
      const c = i >= channels ? prev[i - channels]! : 0;
      const pa = Math.abs(b - c);
      const pb = Math.abs(a - c);
      const pc = Math.abs(a + b - 2 * c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter]!;
      raw[off + 1 + i] = (row[i]! - pred) & 0xff;
    }
    prev = row;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = opts.grey ? 0 : 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A smooth, contrasted picture (waves and a bright disc) that differs with `seed`. */
export function scene(seed: number) {
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  return (x: number, y: number): [number, number, number] => {
    const cx = 20 + ((seed * 37) % 40);
    const cy = 15 + ((seed * 53) % 30);
    const disc = (x - cx) ** 2 + (y - cy) ** 2 < 144 ? 60 : 0;
    const v = 128 + 90 * Math.sin(x / (9 + seed) + seed) * Math.cos(y / (7 + (seed % 4)) + seed * 0.7) + disc;
    return [clamp(v), clamp(v * 0.8 + 20), clamp(255 - v)];
  };
}
