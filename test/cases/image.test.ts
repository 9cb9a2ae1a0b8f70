import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachPngLuma, hammingDistance, pngDHash, sniffImage } from '../../src/cases/image.js';
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
});
