/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, as scipy's `ks_2samp(…, method='auto')`:
 * the exact null distribution when both samples have at most 10 000 points, otherwise (or when
 * the exact computation fails) the finite-n Kolmogorov distribution at n = round(n₁n₂/(n₁+n₂)).
 */
import { kolmogorovSurvival } from './kolmogorov';

/** Largest sample size for which `'auto'` still uses the exact distribution. */
export const KS_MAX_EXACT_N = 10000;

/** Result of the two-sample KS test. */
export interface KsResult {
  /** D = sup |F₁ − F₂|; in the exact branch, the lattice value h / lcm(n₁, n₂). */
  readonly statistic: number;
  /** Two-sided p-value. */
  readonly pValue: number;
  /** Which null distribution gave the p-value. */
  readonly method: 'exact' | 'asymp';
  /** lcm(n₁, n₂): both ECDFs jump on multiples of 1 / lcm. */
  readonly lcm: number;
  /** round(D · lcm). */
  readonly h: number;
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** Round half to even, as numpy's `np.round`. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * sup |F₁ − F₂| over the pooled values of two sorted samples, each ECDF evaluated as
 * (number of points ≤ v) / n with the larger of the positive and negative deviations kept.
 */
export function ksStatistic(sorted1: ArrayLike<number>, sorted2: ArrayLike<number>): number {
  const n1 = sorted1.length;
  const n2 = sorted2.length;
  let i = 0;
  let j = 0;
  let maxDiff = -Infinity;
  let minDiff = Infinity;
  while (i < n1 || j < n2) {
    const a = i < n1 ? (sorted1[i] as number) : Infinity;
    const b = j < n2 ? (sorted2[j] as number) : Infinity;
    const v = a <= b ? a : b;
    while (i < n1 && sorted1[i] === v) i++;
    while (j < n2 && sorted2[j] === v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  const minS = Math.min(1, Math.max(0, -minDiff));
  return minS > maxDiff ? minS : maxDiff;
}

/**
 * Pr(D ≥ h / lcm) for samples of m ≠ n points: the share of monotone lattice paths from (0, 0)
 * to (m, n) that leave the band |x/m − y/n| < h / lcm. One column of the path-count table is kept
 * at a time, restricted to the band, and the recursion carries 1 − (share inside) directly
 * (Hodges 1958; Viehmann 2021) so no large binomial coefficient appears.
 */
export function ksExactOutsideBand(n1: number, n2: number, h: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const g = gcd(m, n);
  const mg = m / g;
  const ng = n / g;
  let lo = 0;
  let hi = Math.min(Math.ceil(h / mg), n + 1);
  let width = hi - lo;
  const column = new Float64Array(Math.min(2 * hi + 2, n + 1)).fill(1);
  column.fill(0, lo, hi);
  for (let i = 1; i <= m; i++) {
    const prevLo = lo;
    const prevWidth = width;
    lo = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    hi = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (hi <= lo) return 1;
    // Below the band every path has already left it (1); on the x axis none has (0).
    let below = lo === 0 ? 0 : 1;
    for (let k = 0; k < hi - lo; k++) {
      const j = k + lo;
      below = ((column[k + lo - prevLo] as number) * i + below * j) / (i + j);
      column[k] = below;
    }
    width = hi - lo;
    if (prevWidth > width) column.fill(1, width, prevWidth);
  }
  return column[hi - lo - 1] as number;
}

/**
 * Pr(D ≥ h / n) for two samples of n points each: 2 Σ_k (−1)^{k+1} C(2n, n − kh) / C(2n, n),
 * evaluated innermost-first as 2·A₁(1 − A₂(1 − A₃(…))) to avoid cancellation.
 */
export function ksExactOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * Two-sided two-sample KS test on two non-empty samples (any order; NaN must be removed first).
 * Matches scipy 1.10 `ks_2samp(a, b)` with its default `method='auto'`.
 */
export function ksTwoSample(sample1: ArrayLike<number>, sample2: ArrayLike<number>): KsResult {
  const n1 = sample1.length;
  const n2 = sample2.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('ksTwoSample needs two non-empty samples');
  const a = Float64Array.from(sample1).sort();
  const b = Float64Array.from(sample2).sort();
  const d = ksStatistic(a, b);
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  let statistic = d;
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    // scipy keeps the lattice value of D from here on, even if the exact branch gives up.
    statistic = h / lcm;
    if (h === 0) return { statistic, pValue: 1, method: 'exact', lcm, h };
    const p = n1 === n2 ? ksExactOutsideSquare(n1, h) : ksExactOutsideBand(n1, n2, h);
    if (p >= 0 && p <= 1) return { statistic, pValue: p, method: 'exact', lcm, h };
  }
  const en = (n1 * n2) / (n1 + n2);
  const p = kolmogorovSurvival(roundHalfEven(en), statistic);
  return { statistic, pValue: Math.min(1, Math.max(0, p)), method: 'asymp', lcm, h };
}
