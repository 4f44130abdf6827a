/**
 * Welch's interval for the difference of two means with unequal variances (Welch 1947): the
 * amount recovered per debtor, called minus control. The standard error is √(s₁²/n₁ + s₂²/n₂)
 * and the degrees of freedom are Welch–Satterthwaite's; R's `t.test(var.equal = FALSE)`.
 */
import { ValidationError } from '../../core/errors';
import { studentTQuantile } from './distributions';
import type { Interval } from './proportion-difference';

/** Size, mean and sample variance (n − 1 denominator) of one group. */
export interface GroupMoments {
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
}

/** Welch's interval with its standard error and (non-integer) degrees of freedom. */
export interface WelchInterval extends Interval {
  readonly standardError: number;
  readonly df: number;
}

/**
 * Interval for mean₁ − mean₂ at the two-sided `confidence`; null when it cannot be estimated
 * (fewer than two debtors in a group, or no variation at all in either group).
 * @defaultValue confidence 0.95
 */
export function welchInterval(a: GroupMoments, b: GroupMoments, confidence = 0.95): WelchInterval | null {
  for (const [g, field] of [[a, 'a'], [b, 'b']] as const) {
    if (!Number.isFinite(g.mean) || !(g.variance >= 0) || !Number.isInteger(g.n) || g.n < 0) throw new ValidationError(`group ${field} needs n ≥ 0, a finite mean and a variance ≥ 0`, { context: { field } });
  }
  if (!(confidence > 0 && confidence < 1)) throw new ValidationError(`confidence must be in (0, 1), got ${confidence}`, { context: { field: 'confidence' } });
  if (a.n < 2 || b.n < 2) return null;
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  if (!(se > 0)) return null;
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const t = studentTQuantile(1 - (1 - confidence) / 2, df);
  const d = a.mean - b.mean;
  return { estimate: d, low: d - t * se, high: d + t * se, standardError: se, df };
}

/** Size, mean and sample variance of a list of values (variance 0 below two values). */
export function moments(values: ArrayLike<number>): GroupMoments {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] as number;
  mean = n === 0 ? 0 : mean / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] as number) - mean) ** 2;
  return { n, mean, variance: n < 2 ? 0 : ss / (n - 1) };
}
