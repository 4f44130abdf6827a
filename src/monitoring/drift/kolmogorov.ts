/**
 * The finite-n two-sided Kolmogorov distribution: Pr(Dₙ ≥ x) for the largest absolute deviation
 * of an empirical CDF of n points (scipy `stats.kstwo.sf`, not the limiting `kstwobign`).
 *
 * The method depends on n and x as in Simard & L'Ecuyer (2011), the scheme scipy follows:
 * Ruben–Gambino closed forms at the extremes, twice the one-sided Smirnov probability in the
 * upper tail, Durbin's matrix (Marsaglia–Tsang–Wang) and Pomeranz's recursion for small n, and
 * the Pelz–Good expansion for large n.
 */
import { smirnovSurvival } from './smirnov';

const SCALE_EXP = 128;
const SCALE_UP = 2 ** SCALE_EXP;
const SCALE_DOWN = 2 ** -SCALE_EXP;
const MIN_LOG = -708;
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
/** Bernoulli-number coefficients of Stirling's series, highest order first. */
const STIRLING = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
  8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
  -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

const clip01 = (p: number): number => Math.min(1, Math.max(0, p));

/** p · 2^e without overflowing or underflowing the power of two on its own. */
function ldexp(p: number, e: number): number {
  let r = p;
  let k = e;
  while (k > 1000) { r *= 2 ** 1000; k -= 1000; }
  while (k < -1000) { r *= 2 ** -1000; k += 1000; }
  return r * 2 ** k;
}

/** ln(n! / nⁿ) by Stirling's series with the n ln n terms cancelled up front. */
function logFactorialOverPower(n: number): number {
  const r = 1 / n;
  const r2 = r / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * r2 + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + r * poly;
}

/** Pr(Dₙ ≤ d) by Durbin's matrix: the (k, k) entry of (n!/nⁿ) Hⁿ, with m = 2k − 1. */
function cdfDurbinMatrix(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  v[m - 1] = (1 + Math.max(2 * h - 1, 0) ** m - 2 * h ** m) * fac;
  let H = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1] as number;
  for (let r = 0; r < m; r++) H[r * m] = v[r] as number;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c] as number;
  let P = new Float64Array(m * m);
  for (let i = 0; i < m; i++) P[i * m + i] = 1;
  let exponent = 0;
  let hExponent = 0;
  const multiply = (A: Float64Array, B: Float64Array): Float64Array<ArrayBuffer> => {
    const C = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let l = 0; l < m; l++) {
        const a = A[i * m + l] as number;
        if (a === 0) continue;
        for (let j = 0; j < m; j++) C[i * m + j] = (C[i * m + j] as number) + a * (B[l * m + j] as number);
      }
    }
    return C;
  };
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) { P = multiply(P, H); exponent += hExponent; }
    H = multiply(H, H);
    hExponent *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)] as number) > SCALE_UP) {
      for (let i = 0; i < H.length; i++) H[i] = (H[i] as number) / SCALE_UP;
      hExponent += SCALE_EXP;
    }
  }
  let p = P[(k - 1) * m + (k - 1)] as number;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) { p *= SCALE_UP; exponent -= SCALE_EXP; }
  }
  return clip01(ldexp(p, exponent));
}

/** The window of non-zero entries of row i in Pomeranz's recursion, clipped to [0, n]. */
function pomeranzWindow(i: number, n: number, ll: number, ceilF: number, roundF: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) { j1 = n - ll - ceilF - 1; j2 = n + ll + ceilF - 1; } else { j1 = half - 1 - ll - roundF - 1; j2 = half + ll - 1 + ceilF - 1; }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Pr(Dₙ ≤ x) by Pomeranz's recursion: rows convolved with Poisson-like weights, times n!. */
function cdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  const gPow = new Float64Array(size);
  const twoGPow = new Float64Array(size);
  const oneMinusTwoGPow = new Float64Array(size);
  gPow[0] = twoGPow[0] = oneMinusTwoGPow[0] = 1;
  for (let k = 1; k < size; k++) {
    gPow[k] = ((gPow[k - 1] as number) * (g / n)) / k;
    twoGPow[k] = ((twoGPow[k - 1] as number) * ((2 * g) / n)) / k;
    oneMinusTwoGPow[k] = ((oneMinusTwoGPow[k - 1] as number) * ((1 - 2 * g) / n)) / k;
  }
  let prev = new Float64Array(size);
  let cur = new Float64Array(size);
  cur[0] = 1;
  let prevStart = 0;
  let curStart = 0;
  let exponent = 0;
  let [j1] = pomeranzWindow(0, n, ll, ceilF, roundF);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [prev, cur] = [cur, prev];
    [prevStart, curStart] = [curStart, prevStart];
    cur.fill(0);
    const [nj1, j2] = pomeranzWindow(i, n, ll, ceilF, roundF);
    j1 = nj1;
    const weights = i === 1 || i === 2 * n + 1 ? gPow : i % 2 === 1 ? twoGPow : oneMinusTwoGPow;
    const len = j2 - k1 + 1;
    if (len <= 0) continue;
    // cur[r] = Σ_s prev[k1 − prevStart + s] · weights[(j1 − k1 + r) − s], the part of the full
    // convolution of the two length-`len` vectors that row i keeps.
    let max = 0;
    for (let r = 0; r < j2 - j1 + 1; r++) {
      const q = j1 - k1 + r;
      let acc = 0;
      for (let s = 0; s <= q && s < len; s++) acc += (prev[k1 - prevStart + s] as number) * (weights[q - s] as number);
      cur[r] = acc;
      if (acc > max) max = acc;
    }
    if (max > 0 && max < SCALE_DOWN) {
      for (let r = 0; r < size; r++) cur[r] = (cur[r] as number) * SCALE_UP;
      exponent -= SCALE_EXP;
    }
    curStart = prevStart + j1 - k1;
  }
  let answer = cur[n - curStart] as number;
  for (let k = 1; k <= n; k++) {
    if (Math.abs(answer) > SCALE_UP) { answer *= SCALE_DOWN; exponent += SCALE_EXP; }
    answer *= k;
  }
  return clip01(ldexp(answer, exponent));
}

/** Pr(Dₙ ≤ x) by the Pelz–Good asymptotic expansion in powers of n^{−1/2}. */
function cdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2, k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4, k2b = ((2 * z4 - 5 * z2) * PI2) / 4, k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64, k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4, k3a = -30 * z6 - 90 * z4 * z4;
  const K = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  // Horner in q over the odd integers m = 2k − 1 (the theta-function form for small z).
  for (let k = maxK; k > 0; k--) {
    const m = 2 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
    const qp = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = (K[i] as number) * qp + (coeffs[i] as number);
  }
  const denominators = [z, 6 * z4, 72 * z4 * z3, 6480 * z4 * z6];
  for (let i = 0; i < 4; i++) K[i] = ((K[i] as number) * q * SQRT_2PI) / (denominators[i] as number);
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxK; k > 0; k--) {
    const weight = k * k * q ** (k * k);
    k2extra += weight;
    k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * weight;
  }
  K[2] = (K[2] as number) + (k2extra * PI2 * SQRT_2PI) / (-36 * z3);
  K[3] = (K[3] as number) + (k3extra * PI2 * SQRT_2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (K[i] as number) / n ** (i / 2);
  return sum;
}

/**
 * Pr(Dₙ ≥ x): the survival function of the two-sided one-sample Kolmogorov–Smirnov statistic for
 * n points (scipy `kstwo.sf(x, n)`). NaN unless n is a positive integer.
 */
export function kolmogorovSurvival(n: number, x: number): number {
  if (!(Number.isInteger(n) && n > 0) || Number.isNaN(x)) return NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben–Gambino: Pr(Dₙ ≤ x) = n!/nⁿ (2t − 1)ⁿ for 1/(2n) ≤ x ≤ 1/n.
    if (t <= 0.5) return 1;
    let cdf = 1;
    if (n <= 140) for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    else cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSurvival(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip01(1 - cdfDurbinMatrix(n, x));
    if (nx2 <= 4) return clip01(1 - cdfPomeranz(n, x));
    return clip01(2 * smirnovSurvival(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnovSurvival(n, x));
  const cdf = nx2 >= 18 ? 1 : n <= 100000 && n * x ** 1.5 <= 1.4 ? cdfDurbinMatrix(n, x) : cdfPelzGood(n, x);
  return clip01(1 - cdf);
}
