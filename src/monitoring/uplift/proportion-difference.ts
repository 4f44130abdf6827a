/**
 * Confidence intervals for a proportion and for the difference of two independent proportions:
 * Wilson's score interval (Wilson 1927) and Newcombe's hybrid score interval for p₁ − p₂, built
 * from the two Wilson intervals (Newcombe 1998, method 10). Unlike the normal (Wald) interval,
 * both stay inside [0, 1] / [−1, 1] and keep close to their nominal coverage with few payers,
 * which is the case of a small control group.
 */
import { ValidationError } from '../../core/errors';
import { normalQuantile } from './distributions';

/** An interval with its point estimate. */
export interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

function checkCount(successes: number, n: number, field: string): void {
  if (!Number.isInteger(n) || n < 1) throw new ValidationError(`${field}: the number of debtors must be a positive integer, got ${n}`, { context: { field } });
  if (!Number.isInteger(successes) || successes < 0 || successes > n) throw new ValidationError(`${field}: payers must be an integer between 0 and ${n}, got ${successes}`, { context: { field } });
}

function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new ValidationError(`confidence must be in (0, 1), got ${confidence}`, { context: { field: 'confidence' } });
}

/** Wilson's score interval for `successes` out of `n` at the two-sided `confidence`. @defaultValue confidence 0.95 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval {
  checkCount(successes, n, 'n');
  checkConfidence(confidence);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = ((z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n)));
  // At 0 and n successes one bound is exactly 0 or 1; rounding must not move it.
  return { estimate: p, low: successes === 0 ? 0 : Math.max(0, centre - half), high: successes === n ? 1 : Math.min(1, centre + half) };
}

/**
 * Newcombe's hybrid score interval for p₁ − p₂ (group 1: x₁ of n₁, group 2: x₂ of n₂):
 * `d − √((p₁ − l₁)² + (u₂ − p₂)²)` to `d + √((u₁ − p₁)² + (p₂ − l₂)²)`, where (lᵢ, uᵢ) are the
 * Wilson intervals of each group. @defaultValue confidence 0.95
 */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number, confidence = 0.95): Interval {
  checkCount(x1, n1, 'n1');
  checkCount(x2, n2, 'n2');
  const a = wilsonInterval(x1, n1, confidence);
  const b = wilsonInterval(x2, n2, confidence);
  const d = a.estimate - b.estimate;
  return {
    estimate: d,
    low: d - Math.hypot(a.estimate - a.low, b.high - b.estimate),
    high: d + Math.hypot(a.high - a.estimate, b.estimate - b.low),
  };
}
