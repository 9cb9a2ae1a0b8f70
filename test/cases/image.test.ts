import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachPngLuma, hammingDistance, jpegDHash, pngDHash, sniffImage } from '../../src/cases/image.js';
import { jpegLumaBlocks } from '../../src/cases/jpeg.js';
import { encodeJpeg } from './jpeg-encode.js';
import { encodePng, scene } from './png.js';

describe('photo format and perceptual hash', () => {
  it('recognises JPEG, PNG and WebP by their magic bytes and nothing else', () => {
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(sniffImage(encodePng(2, 2, () => [0, 0, 0]))).toBe('image/png');
    expect(sniffImage(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffImage(Buffer.from('%PDF-1.7\n'))).toBeNull();
    expect(sniffImage(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });

  it.each([0, 1, 2, 3, 4] as const)('decodes rows written with PNG filter %i exactly', (filter) => {
    const pixel = scene(3);
    const png = encodePng(23, 11, pixel, { filter });
    const seen: number[] = [];
    expect(forEachPngLuma(png, (x, y, luma) => seen.push(Math.round(luma * 1000)))).toBe(true);
    const expected: number[] = [];
    for (let y = 0; y < 11; y++)
      for (let x = 0; x < 23; x++) {
        const [r, g, b] = pixel(x, y);
        expected.push(Math.round((0.299 * r + 0.587 * g + 0.114 * b) * 1000));
      }
    expect(seen).toEqual(expected);
  });

  it('hashes a horizontal ramp falling to the right as all ones and rising as all zeros', () => {
    expect(pngDHash(encodePng(90, 80, (x) => [255 - x, 255 - x, 255 - x], { grey: true }))).toBe(
      'ffffffffffffffff',
    );
    expect(pngDHash(encodePng(90, 80, (x) => [x, x, x]))).toBe('0000000000000000');
  });

  it('gives the same picture re-encoded or slightly brightened a distance under 5, another picture one far above', () => {
    const a = pngDHash(encodePng(96, 64, scene(1)))!;
    const reencoded = pngDHash(encodePng(96, 64, scene(1), { filter: 4 }))!;
    const brighter = pngDHash(
      encodePng(
        96,
        64,
        (x, y) => scene(1)(x, y).map((v) => Math.min(255, v + 6)) as [number, number, number],
      ),
    )!;
    const resized = pngDHash(encodePng(192, 128, (x, y) => scene(1)(x >> 1, y >> 1)))!;
    const other = pngDHash(encodePng(96, 64, scene(2)))!;
    expect(hammingDistance(a, reencoded)).toBe(0);
    expect(hammingDistance(a, brighter)).toBeLessThan(5);
    expect(hammingDistance(a, resized)).toBeLessThan(5);
    expect(hammingDistance(a, other)).toBeGreaterThan(10);
  });

  it('returns no hash for a picture smaller than 9 × 8 or a broken PNG', () => {
    expect(pngDHash(encodePng(8, 8, () => [1, 2, 3]))).toBeNull();
    const png = encodePng(20, 20, scene(1));
    expect(pngDHash(png.subarray(0, png.length - 30))).toBeNull();
  });

  it('Hamming distance is a metric on 64-bit hashes', () => {
    const hex = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((b) => b.toString(16).padStart(16, '0'));
    fc.assert(
      fc.property(hex, hex, hex, (a, b, c) => {
        expect(hammingDistance(a, a)).toBe(0);
        expect(hammingDistance(a, b)).toBe(hammingDistance(b, a));
        expect(hammingDistance(a, c)).toBeLessThanOrEqual(hammingDistance(a, b) + hammingDistance(b, c));
      }),
    );
  });

  describe('baseline JPEG', () => {
    const px = scene(3);
    const trueMean = (bx: number, by: number) => {
      let sum = 0;
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) {
          const [r, g, b] = px(bx * 8 + x, by * 8 + y);
          sum += 0.299 * r + 0.587 * g + 0.114 * b;
        }
      return sum / 64;
    };

    it.each([
      ['greyscale', {}],
      ['YCbCr 4:2:0', { color: true }],
      ['greyscale with restart markers', { restartInterval: 5 }],
      ['YCbCr 4:2:0 with restart markers', { color: true, restartInterval: 3 }],
    ])('reads the mean of every 8 × 8 luma block of a %s file', (_, opts) => {
      const blocks = jpegLumaBlocks(encodeJpeg(100, 70, px, opts))!;
      expect(blocks).toMatchObject({ width: 100, height: 70, cols: 13, rows: 9 });
      for (let by = 0; by < 8; by++)
        for (let bx = 0; bx < 12; bx++)
          expect(Math.abs(blocks.means[by * 13 + bx]! - trueMean(bx, by))).toBeLessThan(0.5);
    });

    it('hashes the same picture as JPEG and as PNG to within distance 5, another picture far away', () => {
      const big = (seed: number) => (x: number, y: number) => scene(seed)(x >> 2, y >> 2);
      const jpeg = jpegDHash(encodeJpeg(384, 256, big(1), { color: true }))!;
      expect(jpeg).toMatch(/^[0-9a-f]{16}$/);
      expect(hammingDistance(jpeg, pngDHash(encodePng(384, 256, big(1)))!)).toBeLessThan(5);
      expect(hammingDistance(jpeg, jpegDHash(encodeJpeg(384, 256, big(2)))!)).toBeGreaterThan(10);
    });

    it('returns nothing for progressive JPEG, a JPEG too small to hash, or bytes that are not JPEG', () => {
      const baseline = encodeJpeg(96, 64, px);
      const sof = baseline.indexOf(Buffer.from([0xff, 0xc0]));
      const progressive = Buffer.from(baseline);
      progressive[sof + 1] = 0xc2;
      expect(jpegLumaBlocks(progressive)).toBeNull();
      expect(jpegDHash(encodeJpeg(64, 64, px))).toBeNull();
      expect(jpegLumaBlocks(encodePng(20, 20, px))).toBeNull();
      expect(jpegDHash(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 1, 2]))).toBeNull();
    });
  });
});
