/**
 * The one-sided Smirnov distribution: Pr(D⁺ₙ ≥ x) for the largest positive deviation of an
 * empirical CDF of n points from the true one (scipy `special.smirnov`).
 *
 * Exact through the Birnbaum–Tingey sum
 *   Pr(D⁺ₙ ≥ x) = x · Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (1 − x − j/n)^{n−j} (x + j/n)^{j−1},
 * each term evaluated in log space (the binomial coefficient alone overflows past n ≈ 1030), with
 * the closed forms for x ≤ 1/n and x ≥ 1 − 1/n and a large-n approximation as in scipy.
 */

const EPS = 2.220446049250313e-16;
/** Below this, e^{−2nx²} and so the survival function underflow a double. */
const MIN_LOG = -708.3964185322641;
/** Past this many points the sum takes too long; scipy switches to an approximation there too. */
const MAX_EXACT_N = 1000000;

/** Pr(D⁺ₙ ≥ x), the survival function of the one-sided Kolmogorov–Smirnov statistic. */
export function smirnovSurvival(n: number, x: number): number {
  if (!(Number.isInteger(n) && n > 0) || !(x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  let nxFloor = Math.floor(nx);
  let alpha = nx - nxFloor;
  if (alpha >= 1 - 2 * EPS) { nxFloor += 1; alpha = 0; }
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) {
    // x ≤ 1/n: Pr(D⁺ₙ < x) = x (1 + x)^{n−1}.
    return 1 - x * Math.pow(1 + x, n - 1);
  }
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return Math.pow(1 - x, n);
  if (n > MAX_EXACT_N) {
    const logp = -Math.pow(6 * nx + 1, 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }
  // Terms j = 0 … n − ⌊nx⌋ − 1, i.e. those with x + j/n < 1 strictly (the next one is zero).
  const nTerms = n - nxFloor;
  let sum = Math.pow(1 - x, n) / x; // j = 0: C(n,0) (1−x)^n x^{−1}
  let logBinomial = 0;
  for (let j = 1; j < nTerms; j++) {
    logBinomial += Math.log((n - j + 1) / j);
    const term = Math.exp(logBinomial + (n - j) * Math.log((n - j) / n - x) + (j - 1) * Math.log(j / n + x));
    sum += term;
    if (term === 0) {
      if (j > n / 2) break;
    } else if (4 * (nTerms - j) * term < EPS * sum && j !== nTerms - 1) {
      break;
    }
  }
  const sf = x * sum;
  return Math.min(1, Math.max(0, sf));
}
