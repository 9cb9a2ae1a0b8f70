/**
 * Survey photos: the format from the magic bytes, a PNG decoder (zlib is in node), and a perceptual hash for
 * spotting a photo reused across cases (DOMAIN.md: Hamming distance < 5). Pure: bytes in, values out.
 *
 * Baseline JPEG is read far enough for the hash (jpeg.ts); WebP and progressive JPEG are recognised but not
 * decoded, so their perceptual hash is null.
 */
import { inflateSync } from 'node:zlib';
import { type JpegLumaBlocks, jpegLumaBlocks } from './jpeg.js';

export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** The image format by its signature (JPEG SOI + marker, PNG's 8-byte signature, RIFF…WEBP); null otherwise. */
export function sniffImage(bytes: Uint8Array): ImageMime | null {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length >= 8 && png.every((v, i) => b[i] === v)) return 'image/png';
  const ascii = (from: number, to: number) => Buffer.from(b.subarray(from, to)).toString('latin1');
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** Pictures larger than this many pixels are not decoded (bounds memory against decompression bombs). */
const MAX_PIXELS = 16_000_000;

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

/** Reads IHDR; null when the PNG is malformed. */
export function pngInfo(bytes: Uint8Array): PngInfo | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 33 || buf.toString('latin1', 12, 16) !== 'IHDR') return null;
  return {
    width: buf.readUInt32BE(16),
    height: buf.readUInt32BE(20),
    bitDepth: buf[24]!,
    colorType: buf[25]!,
    interlaced: buf[28] === 1,
  };
}

/**
 * Decodes a non-interlaced PNG (any colour type, bit depth 1–16) and feeds each pixel's luma (ITU-R BT.601
 * weights; alpha ignored) to `visit`, row by row, so the caller can reduce without holding the picture.
 * Returns false when the PNG cannot be decoded here (interlaced, too large, malformed).
 */
export function forEachPngLuma(
  bytes: Uint8Array,
  visit: (x: number, y: number, luma: number) => void,
): boolean {
  const info = pngInfo(bytes);
  if (!info || info.interlaced) return false;
  const { width, height, bitDepth, colorType } = info;
  const channels = CHANNELS[colorType];
  if (!channels || width === 0 || height === 0 || width * height > MAX_PIXELS) return false;
  if (![1, 2, 4, 8, 16].includes(bitDepth)) return false;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Buffer[] = [];
  let palette: Buffer | undefined;
  for (let p = 8; p + 8 <= buf.length;) {
    const len = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    const data = buf.subarray(p + 8, p + 8 + len);
    if (data.length !== len) return false;
    if (type === 'IDAT') idat.push(data);
    else if (type === 'PLTE') palette = data;
    else if (type === 'IEND') break;
    p += 12 + len;
  }
  if (colorType === 3 && !palette) return false;
  const rowBytes = Math.ceil((width * channels * bitDepth) / 8);
  const expected = height * (rowBytes + 1);
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: expected });
  } catch {
    return false;
  }
  if (raw.length < expected) return false;
  const bpp = Math.max(1, (channels * bitDepth) / 8);
  let prev = Buffer.alloc(rowBytes);
  let cur = Buffer.alloc(rowBytes);
  const max = 2 ** bitDepth - 1;
  for (let y = 0; y < height; y++) {
    const off = y * (rowBytes + 1);
    const filter = raw[off]!;
    for (let i = 0; i < rowBytes; i++) {
      const x = raw[off + 1 + i]!;
      const a = i >= bpp ? cur[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      let v: number;
      switch (filter) {
        case 0:
          v = x;
          break;
        case 1:
          v = x + a;
          break;
        case 2:
          v = x + b;
          break;
        case 3:
          v = x + ((a + b) >> 1);
          break;
        case 4: {
          // Paeth predictor, PNG specification §9.4.
          const pa = Math.abs(b - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + b - 2 * c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          return false;
      }
      cur[i] = v & 0xff;
    }
    const sample = (index: number): number => {
      if (bitDepth === 8) return cur[index]!;
      if (bitDepth === 16) return cur.readUInt16BE(index * 2);
      const bitPos = index * bitDepth;
      return (cur[bitPos >> 3]! >> (8 - bitDepth - (bitPos & 7))) & max;
    };
    for (let x = 0; x < width; x++) {
      let luma: number;
      if (colorType === 3) {
        const k = sample(x) * 3;
        luma = 0.299 * (palette![k] ?? 0) + 0.587 * (palette![k + 1] ?? 0) + 0.114 * (palette![k + 2] ?? 0);
      } else if (channels <= 2) {
        luma = (sample(x * channels) / max) * 255;
      } else {
        const base = x * channels;
        luma = ((0.299 * sample(base) + 0.587 * sample(base + 1) + 0.114 * sample(base + 2)) / max) * 255;
      }
      visit(x, y, luma);
    }
    [prev, cur] = [cur, prev];
  }
  return true;
}

/**
 * dHash ("difference hash", N. Krawetz, "Kind of Like That", hackerfactor.com, 2013): the picture reduced to
 * 9 × 8 grey cells by box averaging; bit i is set when a cell is brighter than its right neighbour. 64 bits as
 * 16 hex digits. `feed` calls its visitor with every pixel of a `width` × `height` picture and says whether it
 * could; null for pictures smaller than 9 × 8 or that could not be read.
 */
export function dHash(
  width: number,
  height: number,
  feed: (visit: (x: number, y: number, luma: number) => void) => boolean,
): string | null {
  if (width < 9 || height < 8) return null;
  const sums = new Float64Array(72);
  const counts = new Uint32Array(72);
  const colCell = Array.from({ length: width }, (_, x) => Math.floor((x * 9) / width));
  const ok = feed((x, y, luma) => {
    const cell = Math.floor((y * 8) / height) * 9 + colCell[x]!;
    sums[cell]! += luma;
    counts[cell]! += 1;
  });
  if (!ok) return null;
  const cells = Array.from(sums, (s, i) => s / counts[i]!);
  let hash = 0n;
  for (let row = 0; row < 8; row++) {
    for (let col = 0; col < 8; col++) {
      hash = (hash << 1n) | (cells[row * 9 + col]! > cells[row * 9 + col + 1]! ? 1n : 0n);
    }
  }
  return hash.toString(16).padStart(16, '0');
}

export function pngDHash(bytes: Uint8Array): string | null {
  const info = pngInfo(bytes);
  return info ? dHash(info.width, info.height, (visit) => forEachPngLuma(bytes, visit)) : null;
}

/**
 * The dHash of a baseline JPEG from its 8 × 8 block means (the picture at one eighth of its size): the same
 * picture as PNG and as JPEG hash to nearby values. Needs at least 72 × 64 pixels.
 */
export function jpegDHash(bytes: Uint8Array): string | null {
  const blocks = jpegLumaBlocks(bytes);
  return blocks ? blocksDHash(blocks) : null;
}

function blocksDHash(blocks: JpegLumaBlocks): string | null {
  return dHash(blocks.cols, blocks.rows, (visit) => {
    for (let y = 0; y < blocks.rows; y++)
      for (let x = 0; x < blocks.cols; x++) visit(x, y, blocks.means[y * blocks.cols + x]!);
    return true;
  });
}

/** The perceptual hash of a photo, where this build can decode its format (PNG, baseline JPEG). */
export function perceptualHash(bytes: Uint8Array, mime: ImageMime): string | null {
  if (mime === 'image/png') return pngDHash(bytes);
  if (mime === 'image/jpeg') return jpegDHash(bytes);
  return null;
}

/** Number of differing bits between two 64-bit hashes in hex. */
export function hammingDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let n = 0;
  while (x > 0n) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}

/** Size and perceptual hash where this build can read the format; nulls otherwise (WebP, progressive JPEG). */
export function describeImage(
  bytes: Uint8Array,
  mime: ImageMime,
): { width: number | null; height: number | null; phash: string | null } {
  if (mime === 'image/png') {
    const info = pngInfo(bytes);
    return { width: info?.width ?? null, height: info?.height ?? null, phash: pngDHash(bytes) };
  }
  if (mime === 'image/jpeg') {
    const blocks = jpegLumaBlocks(bytes);
    return {
      width: blocks?.width ?? null,
      height: blocks?.height ?? null,
      phash: blocks ? blocksDHash(blocks) : null,
    };
  }
  return { width: null, height: null, phash: null };
}
