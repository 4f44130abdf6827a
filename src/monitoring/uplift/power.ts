/**
 * How much evidence the control group needs: the sample size of a two-sided two-proportion z-test
 * (pooled variance under H₀, Fleiss, Levin & Paik 2003, §4.2, with unequal groups), and from it the
 * weeks of lists needed to detect a given rise of the pay rate at the configured holdout share.
 */
import { ValidationError } from '../../core/errors';
import { normalQuantile } from './distributions';

/** Significance level of the test the weeks are computed for. @defaultValue 0.05 */
export const UPLIFT_TEST_ALPHA = 0.05;
/** Power of that test. @defaultValue 0.8 */
export const UPLIFT_TEST_POWER = 0.8;
/** Rises of the pay rate (absolute: 0.01 = one point) shown on the dashboard. */
export const DETECTABLE_UPLIFTS: readonly number[] = [0.01, 0.02, 0.03, 0.05, 0.1];

/** Debtors needed in each group. */
export interface TwoProportionSampleSize {
  /** Control debtors (not called). */
  readonly nControl: number;
  /** Called debtors: `ratio × nControl`. */
  readonly nCalled: number;
}

/** Settings of the test. */
export interface PowerOptions {
  /** Two-sided significance level. @defaultValue 0.05 */
  readonly alpha?: number;
  /** Probability of detecting the uplift when it is real. @defaultValue 0.8 */
  readonly power?: number;
}

/**
 * Debtors needed to detect a pay rate `pControl + uplift` among the called against `pControl`
 * among the control, with `ratio` called debtors per control debtor:
 * n_control = [z₁₋α/₂ √(p̄q̄(1 + 1/k)) + z₁₋β √(p₀q₀ + p₁q₁/k)]² / (p₁ − p₀)², p̄ = (p₀ + k p₁)/(1 + k).
 * Not rounded: the caller rounds up where it counts debtors or weeks.
 */
export function twoProportionSampleSize(pControl: number, uplift: number, ratio: number, options: PowerOptions = {}): TwoProportionSampleSize {
  const alpha = options.alpha ?? UPLIFT_TEST_ALPHA;
  const power = options.power ?? UPLIFT_TEST_POWER;
  const p0 = pControl;
  const p1 = pControl + uplift;
  if (!(p0 >= 0 && p0 <= 1)) throw new ValidationError(`the control pay rate must be in [0, 1], got ${p0}`, { context: { field: 'pControl' } });
  if (!(uplift !== 0 && p1 >= 0 && p1 <= 1)) throw new ValidationError(`the uplift must be non-zero and keep the pay rate in [0, 1], got ${uplift}`, { context: { field: 'uplift' } });
  if (!(ratio > 0 && Number.isFinite(ratio))) throw new ValidationError(`the ratio of called to control debtors must be positive, got ${ratio}`, { context: { field: 'ratio' } });
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) throw new ValidationError('alpha and power must be in (0, 1)', { context: { field: 'alpha' } });
  const pBar = (p0 + ratio * p1) / (1 + ratio);
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zBeta = normalQuantile(power);
  const root = zAlpha * Math.sqrt(pBar * (1 - pBar) * (1 + 1 / ratio)) + zBeta * Math.sqrt(p0 * (1 - p0) + (p1 * (1 - p1)) / ratio);
  const nControl = (root * root) / (uplift * uplift);
  return { nControl, nCalled: ratio * nControl };
}

/** Weeks of lists needed for one uplift. */
export interface WeeksNeeded extends TwoProportionSampleSize {
  readonly uplift: number;
  /** Whole weeks; null when no control debtor comes in a week. */
  readonly weeks: number | null;
}

/**
 * Weeks of lists needed to detect each uplift when a week brings `weeklyEligible` debtors that
 * would be listed, a `holdoutShare` of them held out as control, at base pay rate `pControl`.
 */
export function weeksToDetect(pControl: number, weeklyEligible: number, holdoutShare: number, uplifts: readonly number[] = DETECTABLE_UPLIFTS, options: PowerOptions = {}): WeeksNeeded[] {
  if (!(holdoutShare > 0 && holdoutShare < 1)) throw new ValidationError(`the holdout share must be in (0, 1), got ${holdoutShare}`, { context: { field: 'holdoutShare' } });
  const weeklyControl = weeklyEligible * holdoutShare;
  const ratio = (1 - holdoutShare) / holdoutShare;
  return uplifts
    .filter((u) => pControl + u <= 1)
    .map((uplift) => {
      const size = twoProportionSampleSize(pControl, uplift, ratio, options);
      return { uplift, ...size, weeks: weeklyControl > 0 ? Math.ceil(size.nControl / weeklyControl) : null };
    });
}
