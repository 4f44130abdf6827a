/**
 * Decision thresholds. The business-cost-optimal threshold is chosen on out-of-fold predictions of
 * the training rows (see `crossValidate`), never on the rows it will be judged on.
 */
import { bayesThreshold, checkCosts, minimumCost, type CostModel } from './metrics';

/** How the decision threshold is set. */
export type ThresholdRule =
  /** Minimise business cost on out-of-fold predictions of the training rows. */
  | 'cost-optimal'
  /** c_FP / (c_FP + c_FN): right for calibrated, unweighted probabilities. */
  | 'bayes'
  /** A fixed threshold. */
  | number;

/** A chosen threshold with the cost it achieved on the rows it was chosen on. */
export interface ChosenThreshold {
  readonly threshold: number;
  /** Cost per row on the rows used for the choice (NaN for fixed rules). */
  readonly cost: number;
  /** Rows flagged on those rows. */
  readonly flagged: number;
}

/** The threshold minimising business cost of `p` against `y` (flag when p ≥ threshold). */
export function costOptimalThreshold(y: ArrayLike<number>, p: ArrayLike<number>, costs: CostModel): ChosenThreshold {
  const best = minimumCost(y, p, checkCosts(costs));
  return { threshold: best.threshold, cost: best.cost, flagged: best.flagged };
}

/**
 * Resolves a rule; `cost-optimal` reads the out-of-fold predictions `p` of training rows `y`,
 * `weightRatio` (negatives/positives when the model was class-weighted) shifts the Bayes
 * threshold to r / (c_FN/c_FP + r). @defaultValue weightRatio 1
 */
export function resolveThreshold(rule: ThresholdRule, costs: CostModel, oof?: { y: ArrayLike<number>; p: ArrayLike<number> }, weightRatio = 1): ChosenThreshold {
  if (typeof rule === 'number') {
    if (!(rule >= 0 && rule <= 1)) throw new RangeError(`threshold must be in [0, 1], got ${rule}`);
    return { threshold: rule, cost: NaN, flagged: NaN };
  }
  if (rule === 'bayes') {
    const ratio = costs.falseNegativeCost / costs.falsePositiveCost;
    return { threshold: weightRatio === 1 ? bayesThreshold(costs) : weightRatio / (ratio + weightRatio), cost: NaN, flagged: NaN };
  }
  if (rule === 'cost-optimal') {
    if (!oof) throw new RangeError("threshold 'cost-optimal' needs out-of-fold predictions of the training rows");
    return costOptimalThreshold(oof.y, oof.p, costs);
  }
  throw new RangeError(`threshold must be 'cost-optimal', 'bayes' or a number, got ${String(rule)}`);
}
