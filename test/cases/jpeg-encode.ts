/**
 * A small baseline JPEG encoder for tests (ITU-T T.81: FDCT, flat quantisation, Huffman tables of fixed code
 * lengths), greyscale or YCbCr 4:2:0, with optional restart markers, so photos can be made without a library.
 */
type Pixel = (x: number, y: number) => [number, number, number];

const ZIGZAG: number[] = (() => {
  const out: number[] = [];
  for (let s = 0; s < 15; s++) {
    const rows = [];
    for (let r = Math.max(0, s - 7); r <= Math.min(s, 7); r++) rows.push(r);
    if (s % 2 === 0) rows.reverse();
    for (const r of rows) out.push(r * 8 + (s - r));
  }
  return out;
})();

const Q = 2;
const AC_SYMBOLS = [0x00, 0xf0];
for (let r = 0; r < 16; r++) for (let s = 1; s <= 10; s++) AC_SYMBOLS.push((r << 4) | s);

/** COS[u * 8 + x] = cos((2x + 1) u π / 16), T.81 A.3.3. */
const COS = Array.from({ length: 64 }, (_, i) =>
  Math.cos(((2 * (i % 8) + 1) * Math.floor(i / 8) * Math.PI) / 16),
);

function fdct(samples: number[]): number[] {
  const out = new Array<number>(64).fill(0);
  for (let v = 0; v < 8; v++)
    for (let u = 0; u < 8; u++) {
      let sum = 0;
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) sum += samples[y * 8 + x]! * COS[u * 8 + x]! * COS[v * 8 + y]!;
      const cu = u === 0 ? Math.SQRT1_2 : 1;
      const cv = v === 0 ? Math.SQRT1_2 : 1;
      out[v * 8 + u] = Math.round((0.25 * cu * cv * sum) / Q);
    }
  return out;
}

const category = (v: number) => (v === 0 ? 0 : Math.floor(Math.log2(Math.abs(v))) + 1);

export function encodeJpeg(
  width: number,
  height: number,
  pixel: Pixel,
  opts: { color?: boolean; restartInterval?: number } = {},
): Buffer {
  const color = opts.color ?? false;
  const ri = opts.restartInterval ?? 0;
  const at = (x: number, y: number) => pixel(Math.min(x, width - 1), Math.min(y, height - 1));
  const luma = (x: number, y: number) => {
    const [r, g, b] = at(x, y);
    return 0.299 * r + 0.587 * g + 0.114 * b;
  };
  const chroma = (x: number, y: number, which: 'cb' | 'cr') => {
    let sum = 0;
    for (const [dx, dy] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ] as const) {
      const [r, g, b] = at(2 * x + dx, 2 * y + dy);
      sum +=
        which === 'cb'
          ? 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
          : 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
    }
    return sum / 4;
  };
  const blockOf = (sample: (x: number, y: number) => number, bx: number, by: number) => {
    const s: number[] = [];
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) s.push(sample(bx * 8 + x, by * 8 + y) - 128);
    const coeffs = fdct(s);
    return ZIGZAG.map((i) => coeffs[i]!);
  };

  const bytes: number[] = [];
  let acc = 0;
  let nbits = 0;
  const put = (code: number, len: number) => {
    for (let i = len - 1; i >= 0; i--) {
      acc = (acc << 1) | ((code >> i) & 1);
      if (++nbits === 8) {
        bytes.push(acc);
        if (acc === 0xff) bytes.push(0);
        acc = 0;
        nbits = 0;
      }
    }
  };
  const flush = () => {
    while (nbits !== 0) put(1, 1);
  };
  const preds = [0, 0, 0];
  const encodeBlock = (zz: number[], comp: number) => {
    const diff = zz[0]! - preds[comp]!;
    preds[comp] = zz[0]!;
    const c = category(diff);
    put(c, 4); // DC code lengths are all 4: the code of category c is c
    if (c) put(diff < 0 ? diff + (1 << c) - 1 : diff, c);
    let run = 0;
    let last = 63;
    while (last > 0 && zz[last] === 0) last--;
    for (let k = 1; k <= last; k++) {
      const v = zz[k]!;
      if (v === 0) {
        run++;
        continue;
      }
      while (run > 15) {
        put(AC_SYMBOLS.indexOf(0xf0), 8);
        run -= 16;
      }
      const s = category(v);
      put(AC_SYMBOLS.indexOf((run << 4) | s), 8);
      put(v < 0 ? v + (1 << s) - 1 : v, s);
      run = 0;
    }
    if (last < 63) put(AC_SYMBOLS.indexOf(0x00), 8);
  };

  const mcuSize = color ? 16 : 8;
  const mcusX = Math.ceil(width / mcuSize);
  const mcusY = Math.ceil(height / mcuSize);
  for (let m = 0; m < mcusX * mcusY; m++) {
    if (ri && m > 0 && m % ri === 0) {
      flush();
      bytes.push(0xff, 0xd0 + ((m / ri - 1) % 8));
      preds.fill(0);
    }
    const mx = m % mcusX;
    const my = Math.floor(m / mcusX);
    if (!color) {
      encodeBlock(blockOf(luma, mx, my), 0);
      continue;
    }
    for (let v = 0; v < 2; v++)
      for (let h = 0; h < 2; h++) encodeBlock(blockOf(luma, mx * 2 + h, my * 2 + v), 0);
    encodeBlock(
      blockOf((x, y) => chroma(x, y, 'cb'), mx, my),
      1,
    );
    encodeBlock(
      blockOf((x, y) => chroma(x, y, 'cr'), mx, my),
      2,
    );
  }
  flush();

  const seg = (marker: number, body: number[]) => [
    0xff,
    marker,
    (body.length + 2) >> 8,
    (body.length + 2) & 0xff,
    ...body,
  ];
  const counts = (len: number, n: number) => Array.from({ length: 16 }, (_, i) => (i === len - 1 ? n : 0));
  const comps = color
    ? [
        [1, 0x22, 0],
        [2, 0x11, 0],
        [3, 0x11, 0],
      ]
    : [[1, 0x11, 0]];
  return Buffer.from([
    0xff,
    0xd8,
    ...seg(0xdb, [0x00, ...new Array<number>(64).fill(Q)]),
    ...seg(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, comps.length, ...comps.flat()]),
    ...seg(0xc4, [0x00, ...counts(4, 12), ...Array.from({ length: 12 }, (_, i) => i)]),
    ...seg(0xc4, [0x10, ...counts(8, AC_SYMBOLS.length), ...AC_SYMBOLS]),
    ...(ri ? seg(0xdd, [ri >> 8, ri & 0xff]) : []),
    ...seg(0xda, [comps.length, ...comps.flatMap(([id]) => [id!, 0x00]), 0, 63, 0]),
    ...bytes,
    0xff,
    0xd9,
  ]);
}
