/**
 * The realised uplift of one list, once its horizon has passed: the called debtors against the
 * control debtors that would have been listed (intention to treat: a listed debtor counts as
 * called whether or not the call reached them), on the pay rate (Newcombe's interval) and on the
 * amount recovered per debtor (Welch's interval). Pure: the caller reads the two groups' sums.
 */
import { ValidationError } from '../../core/errors';
import { newcombeInterval, type Interval } from './proportion-difference';
import { welchInterval, type WelchInterval } from './welch';

/** What one group of a list paid in the horizon. */
export interface ArmOutcome {
  /** Debtors in the group. */
  readonly n: number;
  /** Debtors whose total paid in the horizon reached the "paid" amount. */
  readonly nPaid: number;
  /** Mean amount recovered per debtor, € (zero for those who paid nothing). */
  readonly meanRecovered: number;
  /** Sample variance of the amount recovered per debtor (n − 1 denominator). */
  readonly varianceRecovered: number;
}

/** The comparison of the two groups of one list. */
export interface RealisedUpliftResult {
  readonly confidence: number;
  readonly called: ArmOutcome & { readonly payRate: number | null };
  readonly control: ArmOutcome & { readonly payRate: number | null };
  /** Pay rate called − control with Newcombe's interval; null without a debtor in a group. */
  readonly payRateDiff: Interval | null;
  /** Recovered per debtor called − control (€) with Welch's interval; null when it cannot be estimated. */
  readonly amountDiff: WelchInterval | null;
}

/** Compares the called and control groups at the two-sided `confidence`. @defaultValue confidence 0.95 */
export function realisedUplift(called: ArmOutcome, control: ArmOutcome, confidence = 0.95): RealisedUpliftResult {
  for (const [arm, field] of [[called, 'called'], [control, 'control']] as const) {
    if (!Number.isInteger(arm.n) || arm.n < 0 || !Number.isInteger(arm.nPaid) || arm.nPaid < 0 || arm.nPaid > arm.n) throw new ValidationError(`${field}: needs whole counts with 0 ≤ payers ≤ debtors`, { context: { field } });
  }
  const both = called.n > 0 && control.n > 0;
  return {
    confidence,
    called: { ...called, payRate: called.n > 0 ? called.nPaid / called.n : null },
    control: { ...control, payRate: control.n > 0 ? control.nPaid / control.n : null },
    payRateDiff: both ? newcombeInterval(called.nPaid, called.n, control.nPaid, control.n, confidence) : null,
    amountDiff: both ? welchInterval({ n: called.n, mean: called.meanRecovered, variance: called.varianceRecovered }, { n: control.n, mean: control.meanRecovered, variance: control.varianceRecovered }, confidence) : null,
  };
}
