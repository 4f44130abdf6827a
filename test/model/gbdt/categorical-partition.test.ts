/**
 * The categorical split search against brute force: on small random histograms every two-way
 * partition of the categories is tried, and the best gain must equal the search's (Fisher 1958: with
 * λ = 0 and no smoothing, some prefix of the Σg/Σh order is optimal). Rare categories (under
 * minCatSupport rows) must go right and stay out of the order.
 */
import { Rng } from '../../../src/core/rng';
import { MISSING_BIN } from '../../../src/model/gbdt/binning';
import { HIST_STRIDE } from '../../../src/model/gbdt/histogram-kernel';
import { findBestSplit, type SplitParams } from '../../../src/model/gbdt/split-finder';

const exact: SplitParams = { lambda: 0, minDataInLeaf: 1, minSumHessian: 0, minSplitGain: 0, catSmooth: 0, minCatSupport: 1, catL2: 0 };

function randomLeaf(rng: Rng, k: number, minCount = 1): { hist: Float64Array; G: number; H: number; C: number } {
  const hist = new Float64Array(HIST_STRIDE);
  let G = 0;
  let H = 0;
  let C = 0;
  for (let b = 0; b < k; b++) {
    const count = minCount + rng.int(40);
    const rate = rng.next();
    let g = 0;
    let h = 0;
    for (let i = 0; i < count; i++) {
      const p = 0.2 + 0.6 * rng.next();
      g += p - (rng.next() < rate ? 1 : 0);
      h += p * (1 - p);
    }
    hist.set([g, h, count], b * 3);
    G += g;
    H += h;
    C += count;
  }
  return { hist, G, H, C };
}

/** Best gain over every partition whose left set is `mask` (bit b: category b left). */
function bruteForce(hist: Float64Array, k: number, G: number, H: number, lambda: number, allowed: (mask: number) => boolean): number {
  let best = -Infinity;
  for (let mask = 1; mask < (1 << k) - 1; mask++) {
    if (!allowed(mask)) continue;
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < k; b++) if (mask & (1 << b)) { gl += hist[b * 3] as number; hl += hist[b * 3 + 1] as number; }
    best = Math.max(best, (gl * gl) / (hl + lambda) + ((G - gl) ** 2) / (H - hl + lambda) - (G * G) / (H + lambda));
  }
  return best;
}

const layoutOf = (k: number) => ({ categorical: Uint8Array.of(1), valueBins: Int32Array.of(k) });

describe('categorical split search', () => {
  it('finds the best of all two-way partitions (brute force over 2^k sets) on random leaves', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const k = 2 + rng.int(9);
      const { hist, G, H, C } = randomLeaf(rng, k);
      const split = findBestSplit(hist, 0, Int32Array.of(0), layoutOf(k), { sumG: G, sumH: H, count: C }, exact);
      const best = bruteForce(hist, k, G, H, 0, () => true);
      if (best <= 1e-10 * ((G * G) / H)) continue;
      expect(split).not.toBeNull();
      expect(split!.gain).toBeCloseTo(best, 9);
      // the reported sets partition the categories and their totals give the gain
      const left = split!.leftBins!;
      expect([...left, ...split!.rightBins!].sort((a, b) => a - b)).toEqual(Array.from({ length: k }, (_, b) => b));
      const gl = left.reduce((s, b) => s + (hist[b * 3] as number), 0);
      expect(split!.left.sumG).toBeCloseTo(gl, 12);
    }
  });

  it('keeps categories under minCatSupport rows out of the order and on the right', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 100; trial++) {
      const k = 3 + rng.int(7);
      const { hist, G, H, C } = randomLeaf(rng, k);
      const support = 15;
      const rare = Array.from({ length: k }, (_, b) => (hist[b * 3 + 2] as number) < support);
      const split = findBestSplit(hist, 0, Int32Array.of(0), layoutOf(k), { sumG: G, sumH: H, count: C }, { ...exact, minCatSupport: support });
      // brute force over the partitions whose left set holds no rare category
      const best = bruteForce(hist, k, G, H, 0, (mask) => rare.every((r, b) => !r || !(mask & (1 << b))));
      if (!(best > 1e-10 * ((G * G) / H))) continue;
      expect(split!.gain).toBeCloseTo(best, 9);
      for (const b of split!.leftBins!) expect(rare[b]).toBe(false);
    }
  });

  it('sends the missing bin with the set it belongs to', () => {
    const hist = new Float64Array(HIST_STRIDE);
    hist.set([-30, 20, 80], 0); // category 0: mostly positive
    hist.set([30, 20, 80], 3); // category 1: mostly negative
    hist.set([-25, 15, 60], MISSING_BIN * 3); // missing: like category 0
    const split = findBestSplit(hist, 0, Int32Array.of(0), layoutOf(2), { sumG: -25, sumH: 55, count: 220 }, exact);
    expect(split!.goLeft[0]).toBe(split!.goLeft[MISSING_BIN]);
    expect(split!.goLeft[1]).not.toBe(split!.goLeft[0]);
  });
});
