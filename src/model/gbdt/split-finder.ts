/**
 * Best split of one leaf from its histograms. Gain is the reduction of the second-order loss,
 * G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) (the factor ½ and γ of the XGBoost paper left out, as in
 * LightGBM); a split is kept only if its gain exceeds minSplitGain, and 1e-10 × G²/(H+λ), below
 * which a "gain" is rounding noise (a pure leaf would otherwise split on it).
 *
 * Numeric features try every bin boundary twice, with the missing bin on either side, so the
 * default direction of NaN is learned. Categorical features order their non-empty bins (the missing
 * bin included) by Σg / (Σh + catSmooth) and try every prefix of that order as the left set, as
 * LightGBM does (Fisher 1958: optimal for a convex loss among all two-way partitions).
 */
import { BINS_PER_FEATURE, MISSING_BIN } from './binning';
import { HIST_STRIDE } from './histogram-kernel';

/** The statistics of a leaf. */
export interface LeafTotals {
  readonly sumG: number;
  readonly sumH: number;
  readonly count: number;
}

/** A candidate split of a leaf. */
export interface SplitInfo {
  readonly feature: number;
  readonly gain: number;
  /** Per bin code, 1 when rows of that bin go left (the missing bin included). */
  readonly goLeft: Uint8Array;
  /** Numeric: bins ≤ binThreshold go left; −1 for categorical. */
  readonly binThreshold: number;
  readonly defaultLeft: boolean;
  /** Categorical: non-empty value bins on each side; null for numeric. */
  readonly leftBins: number[] | null;
  readonly rightBins: number[] | null;
  readonly left: LeafTotals;
  readonly right: LeafTotals;
}

/** Constraints and penalties of the search. */
export interface SplitParams {
  readonly lambda: number;
  readonly minDataInLeaf: number;
  readonly minSumHessian: number;
  readonly minSplitGain: number;
  readonly catSmooth: number;
  /** Categories with fewer training rows in the leaf stay out of the ordering and go right. */
  readonly minCatSupport: number;
  /** Extra L2 penalty on both children of a categorical split. */
  readonly catL2: number;
}

/** Per feature: whether categorical and how many value bins it has. */
export interface FeatureLayout {
  readonly categorical: Uint8Array;
  readonly valueBins: Int32Array;
}

class Best {
  gain: number;
  feature = -1;
  binThreshold = -1;
  missingLeft = false;
  prefix: number[] | null = null;
  gl = 0;
  hl = 0;
  cl = 0;
  constructor(minGain: number) {
    this.gain = minGain;
  }
}

/** Σg / (Σh + catSmooth) of each bin of the categorical feature being ordered. */
const ratios = new Float64Array(BINS_PER_FEATURE);

/** Searches the listed features of the histogram slot at `slotBase` for the best split, or null. */
export function findBestSplit(
  hist: Float64Array,
  slotBase: number,
  features: Int32Array,
  layout: FeatureLayout,
  totals: LeafTotals,
  params: SplitParams,
): SplitInfo | null {
  const { lambda, minDataInLeaf, minSumHessian } = params;
  const { sumG: G, sumH: H, count: C } = totals;
  if (C < 2 * minDataInLeaf) return null;
  const parentScore = (G * G) / (H + lambda);
  const minSupport = Math.max(1, params.minCatSupport);
  const catLambda = lambda + params.catL2;
  const best = new Best(Math.max(params.minSplitGain, 1e-10 * parentScore));
  // A categorical candidate is the first `prefixLength` bins of `order`; the prefix is copied only
  // when it becomes the best, not for every candidate tried.
  const consider = (f: number, gl: number, hl: number, cl: number, t: number, missingLeft: boolean, order: number[] | null, prefixLength: number, l2 = lambda): void => {
    const cr = C - cl;
    if (cl < minDataInLeaf || cr < minDataInLeaf) return;
    const hr = H - hl;
    if (hl < minSumHessian || hr < minSumHessian) return;
    const gr = G - gl;
    const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
    if (gain > best.gain) {
      best.gain = gain;
      best.feature = f;
      best.binThreshold = t;
      best.missingLeft = missingLeft;
      best.prefix = order ? order.slice(0, prefixLength) : null;
      best.gl = gl;
      best.hl = hl;
      best.cl = cl;
    }
  };
  for (let k = 0; k < features.length; k++) {
    const f = features[k] as number;
    const off = slotBase + f * HIST_STRIDE;
    const nb = layout.valueBins[f] as number;
    const m = off + MISSING_BIN * 3;
    const mg = hist[m] as number;
    const mh = hist[m + 1] as number;
    const mc = hist[m + 2] as number;
    if (layout.categorical[f] === 1) {
      const present: number[] = [];
      for (let b = 0; b < nb; b++) if ((hist[off + b * 3 + 2] as number) >= minSupport) present.push(b);
      if (mc >= minSupport) present.push(MISSING_BIN);
      for (const b of present) ratios[b] = (hist[off + b * 3] as number) / ((hist[off + b * 3 + 1] as number) + params.catSmooth);
      present.sort((a, b) => (ratios[a] as number) - (ratios[b] as number) || a - b);
      // Both directions: the rare categories outside the ordering always go right, so the set
      // taken from the high end is not the complement of one taken from the low end.
      let nonEmpty = mc > 0 ? 1 : 0;
      for (let b = 0; b < nb; b++) if ((hist[off + b * 3 + 2] as number) > 0) nonEmpty++;
      // with rare categories on the right, every ordered category may go left
      const last = present.length < nonEmpty ? present.length : present.length - 1;
      for (const order of [present, [...present].reverse()]) {
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let i = 0; i < last; i++) {
          const b = order[i] as number;
          gl += hist[off + b * 3] as number;
          hl += hist[off + b * 3 + 1] as number;
          cl += hist[off + b * 3 + 2] as number;
          consider(f, gl, hl, cl, -1, false, order, i + 1, catLambda);
        }
      }
      continue;
    }
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let t = 0; t < nb; t++) {
      const o = off + t * 3;
      gl += hist[o] as number;
      hl += hist[o + 1] as number;
      cl += hist[o + 2] as number;
      consider(f, gl, hl, cl, t, false, null, 0);
      if (mc > 0) consider(f, gl + mg, hl + mh, cl + mc, t, true, null, 0);
    }
  }
  if (best.feature < 0) return null;
  const left: LeafTotals = { sumG: best.gl, sumH: best.hl, count: best.cl };
  const right: LeafTotals = { sumG: G - best.gl, sumH: H - best.hl, count: C - best.cl };
  return best.prefix ? categoricalSplit(best, hist, slotBase, layout, left, right) : numericSplit(best, hist, slotBase, left, right);
}

/** Where rows this leaf never saw go: with the missing values if any, else to the heavier child. */
function fallbackLeft(left: LeafTotals, right: LeafTotals): boolean {
  return left.sumH >= right.sumH;
}

function numericSplit(best: Best, hist: Float64Array, slotBase: number, left: LeafTotals, right: LeafTotals): SplitInfo {
  const hasMissing = (hist[slotBase + best.feature * HIST_STRIDE + MISSING_BIN * 3 + 2] as number) > 0;
  const defaultLeft = hasMissing ? best.missingLeft : fallbackLeft(left, right);
  const goLeft = new Uint8Array(BINS_PER_FEATURE);
  goLeft.fill(1, 0, best.binThreshold + 1);
  goLeft[MISSING_BIN] = defaultLeft ? 1 : 0;
  return { feature: best.feature, gain: best.gain, goLeft, binThreshold: best.binThreshold, defaultLeft, leftBins: null, rightBins: null, left, right };
}

function categoricalSplit(best: Best, hist: Float64Array, slotBase: number, layout: FeatureLayout, left: LeafTotals, right: LeafTotals): SplitInfo {
  const off = slotBase + best.feature * HIST_STRIDE;
  const prefix = best.prefix as number[];
  const inLeft = new Set(prefix);
  const missingPresent = (hist[off + MISSING_BIN * 3 + 2] as number) > 0;
  const defaultLeft = missingPresent ? inLeft.has(MISSING_BIN) : fallbackLeft(left, right);
  const goLeft = new Uint8Array(BINS_PER_FEATURE).fill(defaultLeft ? 1 : 0);
  const leftBins: number[] = [];
  const rightBins: number[] = [];
  for (let b = 0; b < (layout.valueBins[best.feature] as number); b++) {
    if ((hist[off + b * 3 + 2] as number) <= 0) continue;
    const l = inLeft.has(b);
    goLeft[b] = l ? 1 : 0;
    (l ? leftBins : rightBins).push(b);
  }
  return { feature: best.feature, gain: best.gain, goLeft, binThreshold: -1, defaultLeft, leftBins, rightBins, left, right };
}
