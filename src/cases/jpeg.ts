/**
 * Just enough of a baseline JPEG decoder (ITU-T T.81, sequential Huffman, 8-bit) for a perceptual hash: the
 * entropy-coded data is decoded to find each luma block's DC coefficient, whose value is the block's mean
 * (T.81 A.3.3: F(0,0) = Σ f / 8, so the mean is F(0,0) · Q(0,0) / 8 + 128). That gives the picture at one eighth
 * of its size, plenty for a 9 × 8 dHash. No IDCT, no colour conversion. Progressive and arithmetic-coded files
 * answer null. Pure.
 */

interface Huffman {
  maxcode: Int32Array; // by length 1..16; -1 when no code has that length
  valptr: Int32Array;
  mincode: Int32Array;
  values: Uint8Array;
}

/** Decoding tables of T.81 Annex C / F.2.2.3 from the 16 counts and the symbol values of a DHT segment. */
function buildHuffman(counts: Uint8Array, values: Uint8Array): Huffman {
  const maxcode = new Int32Array(18).fill(-1);
  const valptr = new Int32Array(17);
  const mincode = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1]!;
    if (n > 0) {
      valptr[len] = k;
      mincode[len] = code;
      code += n;
      k += n;
      maxcode[len] = code - 1;
    }
    code <<= 1;
  }
  return { maxcode, valptr, mincode, values };
}

export interface JpegLumaBlocks {
  width: number;
  height: number;
  /** Blocks across and down that cover the picture (luma is never subsampled). */
  cols: number;
  rows: number;
  /** Mean luma of each 8 × 8 block, row by row. */
  means: Float64Array;
}

/** Pictures larger than this many pixels are not decoded. */
const MAX_PIXELS = 50_000_000;

/** The mean luma of every 8 × 8 block of a baseline JPEG, or null when it is not one this can read. */
export function jpegLumaBlocks(bytes: Uint8Array): JpegLumaBlocks | null {
  try {
    return decode(bytes);
  } catch {
    return null;
  }
}

function decode(b: Uint8Array): JpegLumaBlocks | null {
  if (b[0] !== 0xff || b[1] !== 0xd8) return null;
  const u16 = (i: number) => (b[i]! << 8) | b[i + 1]!;
  const dcQuant = new Map<number, number>();
  const dcTables = new Map<number, Huffman>();
  const acTables = new Map<number, Huffman>();
  let frame: {
    width: number;
    height: number;
    comps: { id: number; h: number; v: number; tq: number }[];
  } | null = null;
  let restartInterval = 0;
  let p = 2;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) return null;
    const marker = b[p + 1]!;
    if (marker === 0xff) {
      p++;
      continue;
    }
    if (marker === 0xd9) return null; // EOI before any scan
    const len = u16(p + 2);
    const seg = p + 4;
    const end = p + 2 + len;
    if (end > b.length) return null;
    if (marker === 0xdb) {
      for (let i = seg; i < end;) {
        const pq = b[i]! >> 4;
        const tq = b[i]! & 15;
        dcQuant.set(tq, pq ? u16(i + 1) : b[i + 1]!);
        i += 1 + 64 * (pq ? 2 : 1);
      }
    } else if (marker === 0xc0 || marker === 0xc1) {
      if (b[seg] !== 8) return null;
      const height = u16(seg + 1);
      const width = u16(seg + 3);
      const n = b[seg + 5]!;
      const comps = [];
      for (let i = 0; i < n; i++) {
        const o = seg + 6 + i * 3;
        comps.push({ id: b[o]!, h: b[o + 1]! >> 4, v: b[o + 1]! & 15, tq: b[o + 2]! });
      }
      if (width === 0 || height === 0 || width * height > MAX_PIXELS || comps.some((c) => !c.h || !c.v))
        return null;
      frame = { width, height, comps };
    } else if (marker >= 0xc2 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return null; // progressive, lossless or arithmetic coding
    } else if (marker === 0xc4) {
      for (let i = seg; i < end;) {
        const tc = b[i]! >> 4;
        const th = b[i]! & 15;
        const counts = b.subarray(i + 1, i + 17);
        const total = counts.reduce((s, c) => s + c, 0);
        const values = b.subarray(i + 17, i + 17 + total);
        (tc === 0 ? dcTables : acTables).set(th, buildHuffman(counts, values));
        i += 17 + total;
      }
    } else if (marker === 0xdd) {
      restartInterval = u16(seg);
    } else if (marker === 0xda) {
      if (!frame) return null;
      const ns = b[seg]!;
      const scan = [];
      for (let i = 0; i < ns; i++) {
        const id = b[seg + 1 + i * 2]!;
        const sel = b[seg + 2 + i * 2]!;
        const fc = frame.comps.findIndex((c) => c.id === id);
        const dc = dcTables.get(sel >> 4);
        const ac = acTables.get(sel & 15);
        if (fc < 0 || !dc || !ac) return null;
        scan.push({ fc, dc, ac });
      }
      // Only the first scan holding the luma component (frame component 0) matters.
      if (!scan.some((s) => s.fc === 0)) {
        p = skipEntropy(b, end);
        continue;
      }
      return decodeScan(b, end, frame, scan, restartInterval, dcQuant.get(frame.comps[0]!.tq) ?? 1);
    }
    p = end;
  }
  return null;
}

/** Position of the next marker after entropy-coded data starting at `p`. */
function skipEntropy(b: Uint8Array, p: number): number {
  while (p + 1 < b.length) {
    if (b[p] === 0xff && b[p + 1] !== 0 && !(b[p + 1]! >= 0xd0 && b[p + 1]! <= 0xd7)) return p;
    p++;
  }
  return b.length;
}

function decodeScan(
  b: Uint8Array,
  start: number,
  frame: { width: number; height: number; comps: { h: number; v: number }[] },
  scan: { fc: number; dc: Huffman; ac: Huffman }[],
  restartInterval: number,
  q0: number,
): JpegLumaBlocks {
  const hmax = Math.max(...frame.comps.map((c) => c.h));
  const vmax = Math.max(...frame.comps.map((c) => c.v));
  const y = frame.comps[0]!;
  const cols = Math.ceil(Math.ceil((frame.width * y.h) / hmax) / 8);
  const rows = Math.ceil(Math.ceil((frame.height * y.v) / vmax) / 8);
  const interleaved = scan.length > 1;
  const mcusX = interleaved ? Math.ceil(frame.width / (8 * hmax)) : cols;
  const mcusY = interleaved ? Math.ceil(frame.height / (8 * vmax)) : rows;
  const gridCols = interleaved ? mcusX * y.h : cols;
  const gridRows = interleaved ? mcusY * y.v : rows;
  const grid = new Float64Array(gridCols * gridRows);

  let pos = start;
  let bitBuf = 0;
  let bitCount = 0;
  const bit = (): number => {
    if (bitCount === 0) {
      let byte = 0;
      if (pos < b.length && b[pos] === 0xff && b[pos + 1] !== 0) {
        byte = 0; // a marker: T.81 F.2.2.5 pads with zeros
      } else if (pos < b.length) {
        byte = b[pos]!;
        pos += byte === 0xff ? 2 : 1;
      }
      bitBuf = byte;
      bitCount = 8;
    }
    bitCount--;
    return (bitBuf >> bitCount) & 1;
  };
  const receive = (n: number) => {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | bit();
    return v;
  };
  const extend = (v: number, t: number) => (v < 1 << (t - 1) ? v - (1 << t) + 1 : v);
  const huff = (t: Huffman) => {
    let code = bit();
    let len = 1;
    while (len <= 16 && code > t.maxcode[len]!) {
      code = (code << 1) | bit();
      len++;
    }
    if (len > 16) throw new Error('bad Huffman code');
    return t.values[t.valptr[len]! + code - t.mincode[len]!]!;
  };
  const preds = scan.map(() => 0);
  const block = (si: number): number => {
    const s = scan[si]!;
    const t = huff(s.dc);
    preds[si]! += t ? extend(receive(t), t) : 0;
    for (let k = 1; k < 64;) {
      const rs = huff(s.ac);
      const r = rs >> 4;
      const size = rs & 15;
      if (size === 0) {
        if (r !== 15) break;
        k += 16;
        continue;
      }
      k += r;
      receive(size);
      k++;
    }
    return preds[si]!;
  };

  const total = mcusX * mcusY;
  for (let m = 0; m < total; m++) {
    if (restartInterval > 0 && m > 0 && m % restartInterval === 0) {
      // T.81 F.1.2.3: the coder restarts on a byte boundary after an RSTn marker; predictions reset.
      bitCount = 0;
      while (pos + 1 < b.length && !(b[pos] === 0xff && b[pos + 1]! >= 0xd0 && b[pos + 1]! <= 0xd7)) pos++;
      pos += 2;
      preds.fill(0);
    }
    const mx = m % mcusX;
    const my = Math.floor(m / mcusX);
    if (!interleaved) {
      grid[my * gridCols + mx] = block(0);
      continue;
    }
    for (let si = 0; si < scan.length; si++) {
      const c = frame.comps[scan[si]!.fc]!;
      for (let v = 0; v < c.v; v++)
        for (let h = 0; h < c.h; h++) {
          const dc = block(si);
          if (scan[si]!.fc === 0) grid[(my * c.v + v) * gridCols + mx * c.h + h] = dc;
        }
    }
  }
  const means = new Float64Array(cols * rows);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) means[r * cols + c] = (grid[r * gridCols + c]! * q0) / 8 + 128;
  return { width: frame.width, height: frame.height, cols, rows, means };
}
