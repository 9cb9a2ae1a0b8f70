import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf, normalInv } from '../../../src/scoring/pricing/normal.js';

/* eslint-disable no-loss-of-precision -- reference values are quoted to 20 digits as mpmath printed them */
// Reference values computed with mpmath 1.3 at 40 significant digits (ncdf, and a root of log ncdf for G).
const CDF_REFERENCE: [number, number][] = [
  [-37, 5.7255712225245768227e-300],
  [-20, 2.7536241186062336951e-89],
  [-10, 7.619853024160526066e-24],
  [-8, 6.2209605742717841235e-16],
  [-6, 9.865876450376981407e-10],
  [-5, 2.8665157187919391167e-7],
  [-4, 0.000031671241833119921254],
  [-3.5, 0.00023262907903552503635],
  [-3, 0.0013498980316300945267],
  [-2.5, 0.006209665325776135167],
  [-2, 0.0227501319481792072],
  [-1.5, 0.066807201268858066004],
  [-1, 0.15865525393145705141],
  [-0.7, 0.24196365222307301475],
  [-0.1, 0.46017216272297101853],
  [0, 0.5],
  [0.3, 0.61791142218895263731],
  [0.9, 0.81593987465324051145],
  [1, 0.84134474606854294859],
  [2, 0.9772498680518207928],
  [3, 0.99865010196836990547],
  [5, 0.99999971334842812081],
];

// G at the exact binary value of each double p (not the decimal literal: 0.9999 as a double differs from 0.9999
// enough to move G in the 14th digit).
const INV_REFERENCE: [number, number][] = [
  [1e-20, -9.2623400897984075796],
  [1e-10, -6.3613409024040561991],
  [0.0003, -3.4316144036232693306],
  [0.001, -3.0902323061678135354],
  [0.02425, -1.9729610513118848376],
  [0.1, -1.2815515655446004353],
  [0.3, -0.52440051270804081597],
  [0.975, 1.9599639845400538556],
  [0.999, 3.0902323061678132778],
  [0.9999, 3.7190164854557083867],
];

/* eslint-enable no-loss-of-precision */

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('normalCdf', () => {
  it('matches 40-digit reference values to a relative 1e-15 from −37 to 5', () => {
    for (const [x, ref] of CDF_REFERENCE) expect(relErr(normalCdf(x), ref), `N(${x})`).toBeLessThan(1e-15);
  });

  it('is symmetric: N(x) + N(−x) = 1', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (x) => {
        expect(Math.abs(normalCdf(x) + normalCdf(-x) - 1)).toBeLessThan(2e-16 * 4);
      }),
    );
  });

  it('is non-decreasing', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -40, max: 40, noNaN: true }),
        fc.double({ min: -40, max: 40, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(normalCdf(lo)).toBeLessThanOrEqual(normalCdf(hi));
        },
      ),
    );
  });

  it('gives 0 and 1 at the infinities and rejects NaN with NOT_A_NUMBER', () => {
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(() => normalCdf(Number.NaN)).toThrow(expect.objectContaining({ code: 'NOT_A_NUMBER' }));
  });
});

describe('normalInv', () => {
  it('matches 40-digit reference values to a relative 1e-15', () => {
    for (const [p, ref] of INV_REFERENCE) expect(relErr(normalInv(p), ref), `G(${p})`).toBeLessThan(1e-15);
  });

  it('inverts normalCdf: N(G(p)) = p within the conditioning of the tail', () => {
    // An error δ in x moves N(x) by a relative x²·δ in the far tail, so the bound grows with G(p)².
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1, maxExcluded: true, noNaN: true }), (p) => {
        const x = normalInv(p);
        expect(relErr(normalCdf(x), p)).toBeLessThan(4e-16 * Math.max(4, x * x));
      }),
    );
  });

  it('maps 0 and 1 to the infinities and refuses other values with PROBABILITY_OUT_OF_RANGE', () => {
    expect(normalInv(0)).toBe(-Infinity);
    expect(normalInv(1)).toBe(Infinity);
    expect(normalInv(0.5)).toBe(0);
    for (const bad of [-0.1, 1.0000001, Number.NaN, Infinity]) {
      expect(() => normalInv(bad)).toThrow(expect.objectContaining({ code: 'PROBABILITY_OUT_OF_RANGE' }));
    }
  });
});
