/**
 * Binary classification metrics over labels y ∈ {0, 1} and scores (probabilities where the metric
 * needs them). Pure functions; ties in scores are treated as one threshold everywhere.
 */

/** Costs of the two errors, per row. */
export interface CostModel {
  /** Cost of a positive not flagged (a payer not called, a defaulter missed). @defaultValue 10 */
  readonly falseNegativeCost: number;
  /** Cost of a negative flagged (a wasted call, a false alarm). @defaultValue 1 */
  readonly falsePositiveCost: number;
}

/** The default costs: a missed positive costs 10, a false alarm 1. */
export const DEFAULT_COSTS: CostModel = Object.freeze({ falseNegativeCost: 10, falsePositiveCost: 1 });

/** Validates a cost model, naming the bad field. */
export function checkCosts(costs: CostModel): CostModel {
  for (const key of ['falseNegativeCost', 'falsePositiveCost'] as const) {
    if (!(costs[key] >= 0) || !Number.isFinite(costs[key])) throw new RangeError(`${key} must be a finite number ≥ 0, got ${costs[key]}`);
  }
  return costs;
}

/** The Bayes threshold c_FP / (c_FP + c_FN) for calibrated probabilities. */
export function bayesThreshold(costs: CostModel = DEFAULT_COSTS): number {
  return costs.falsePositiveCost / (costs.falsePositiveCost + costs.falseNegativeCost);
}

function checkLengths(y: ArrayLike<number>, s: ArrayLike<number>): void {
  if (y.length !== s.length) throw new RangeError(`labels (${y.length}) and scores (${s.length}) differ in length`);
}

/** Row indices sorted by descending score (stable). */
function orderDescending(s: ArrayLike<number>): Int32Array {
  const idx = Int32Array.from({ length: s.length }, (_, i) => i);
  return idx.sort((a, b) => (s[b] as number) - (s[a] as number) || a - b);
}

/** Area under the ROC curve (Mann–Whitney with midranks for ties); NaN if one class is absent. */
export function auc(y: ArrayLike<number>, s: ArrayLike<number>): number {
  checkLengths(y, s);
  const n = y.length;
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (s[a] as number) - (s[b] as number));
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && s[idx[j + 1] as number] === s[idx[i] as number]) j++;
    const midrank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (y[idx[k] as number] === 1) { rankSumPos += midrank; nPos++; }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Average precision (area under the precision–recall curve as a step function): Σ over distinct
 * thresholds of (recall increase) × precision; NaN without positives.
 */
export function averagePrecision(y: ArrayLike<number>, s: ArrayLike<number>): number {
  checkLengths(y, s);
  const idx = orderDescending(s);
  let totalPos = 0;
  for (let i = 0; i < y.length; i++) totalPos += y[i] === 1 ? 1 : 0;
  if (totalPos === 0) return NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let i = 0; i < idx.length; ) {
    let gained = 0;
    let j = i;
    for (; j < idx.length && s[idx[j] as number] === s[idx[i] as number]; j++) gained += y[idx[j] as number] === 1 ? 1 : 0;
    tp += gained;
    seen += j - i;
    ap += (gained / totalPos) * (tp / seen);
    i = j;
  }
  return ap;
}

/** Counts of a thresholded prediction: positive when score ≥ threshold. */
export interface Confusion {
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

/** The confusion matrix at `threshold` (flag when score ≥ threshold). */
export function confusionAt(y: ArrayLike<number>, s: ArrayLike<number>, threshold: number): Confusion {
  checkLengths(y, s);
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (let i = 0; i < y.length; i++) {
    const flagged = (s[i] as number) >= threshold;
    if (y[i] === 1) { if (flagged) tp++; else fn++; } else if (flagged) fp++; else tn++;
  }
  return { tp, fp, tn, fn };
}

/** Accuracy at `threshold`. @defaultValue threshold 0.5 */
export function accuracy(y: ArrayLike<number>, p: ArrayLike<number>, threshold = 0.5): number {
  const c = confusionAt(y, p, threshold);
  return (c.tp + c.tn) / Math.max(1, y.length);
}

/** Mean squared error of probabilities. */
export function brier(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkLengths(y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += ((p[i] as number) - (y[i] as number)) ** 2;
  return s / Math.max(1, y.length);
}

/** Mean negative log-likelihood; probabilities clipped to [eps, 1 − eps]. @defaultValue eps 1e-15 */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>, eps = 1e-15): number {
  checkLengths(y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i] as number));
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / Math.max(1, y.length);
}

/** Kolmogorov–Smirnov statistic: max over thresholds of TPR − FPR (absolute). */
export function ks(y: ArrayLike<number>, s: ArrayLike<number>): number {
  return costCurve(y, s, { falseNegativeCost: 0, falsePositiveCost: 0 }).reduce((m, pt) => Math.max(m, Math.abs(pt.tpr - pt.fpr)), 0);
}

/** Cost per row of a confusion matrix. */
export function businessCost(c: Confusion, costs: CostModel = DEFAULT_COSTS): number {
  const n = c.tp + c.fp + c.tn + c.fn;
  return n === 0 ? 0 : (c.fn * costs.falseNegativeCost + c.fp * costs.falsePositiveCost) / n;
}

/** Business cost per row when flagging scores ≥ threshold. */
export function costAt(y: ArrayLike<number>, s: ArrayLike<number>, threshold: number, costs: CostModel = DEFAULT_COSTS): number {
  return businessCost(confusionAt(y, s, threshold), checkCosts(costs));
}

/** One point of a cost curve: flag every row with score ≥ threshold. */
export interface CostPoint {
  /** Flag rows scoring ≥ this (Infinity: flag nobody). */
  readonly threshold: number;
  readonly flagged: number;
  readonly tp: number;
  readonly fp: number;
  readonly tpr: number;
  readonly fpr: number;
  /** Cost per row. */
  readonly cost: number;
}

/**
 * The cost at every distinct cut of the scores, from flagging nobody to flagging everyone. Each
 * cut's threshold is the midpoint between the lowest flagged and the highest unflagged score.
 */
export function costCurve(y: ArrayLike<number>, s: ArrayLike<number>, costs: CostModel = DEFAULT_COSTS): CostPoint[] {
  checkLengths(y, s);
  checkCosts(costs);
  const n = y.length;
  const idx = orderDescending(s);
  let P = 0;
  for (let i = 0; i < n; i++) P += y[i] === 1 ? 1 : 0;
  const N = n - P;
  const point = (threshold: number, flagged: number, tp: number): CostPoint => {
    const fp = flagged - tp;
    const cost = n === 0 ? 0 : ((P - tp) * costs.falseNegativeCost + fp * costs.falsePositiveCost) / n;
    return { threshold, flagged, tp, fp, tpr: P ? tp / P : 0, fpr: N ? fp / N : 0, cost };
  };
  const out = [point(Infinity, 0, 0)];
  let tp = 0;
  for (let i = 0; i < n; ) {
    const v = s[idx[i] as number] as number;
    let j = i;
    for (; j < n && s[idx[j] as number] === v; j++) tp += y[idx[j] as number] === 1 ? 1 : 0;
    const next = j < n ? (s[idx[j] as number] as number) : -Infinity;
    out.push(point(Number.isFinite(next) ? (v + next) / 2 : v, j, tp));
    i = j;
  }
  return out;
}

/** The cheapest point of the cost curve; among equal costs, the one flagging fewest rows. */
export function minimumCost(y: ArrayLike<number>, s: ArrayLike<number>, costs: CostModel = DEFAULT_COSTS): CostPoint {
  const curve = costCurve(y, s, costs);
  let best = curve[0] as CostPoint;
  for (const pt of curve) if (pt.cost < best.cost - 1e-15) best = pt;
  return best;
}

/** One decile (or quantile group) of rows ranked by descending score. */
export interface LiftRow {
  /** 1 = highest scores. */
  readonly group: number;
  readonly rows: number;
  readonly positives: number;
  /** Positive rate in the group ÷ overall positive rate. */
  readonly lift: number;
  /** Share of all positives found in groups 1…group. */
  readonly capturedPositives: number;
  /** Positive rate in groups 1…group ÷ overall rate. */
  readonly cumulativeLift: number;
}

/**
 * Lift and captured positives per group of rows ranked by descending score; group g holds rows
 * ⌊(g−1)n/k⌋ … ⌊gn/k⌋−1 of the ranking (ties split in row order). @defaultValue groups 10
 */
export function liftTable(y: ArrayLike<number>, s: ArrayLike<number>, groups = 10): LiftRow[] {
  checkLengths(y, s);
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`groups must be a positive integer, got ${groups}`);
  const n = y.length;
  const idx = orderDescending(s);
  let P = 0;
  for (let i = 0; i < n; i++) P += y[i] === 1 ? 1 : 0;
  const rate = n ? P / n : 0;
  const out: LiftRow[] = [];
  let cumRows = 0;
  let cumPos = 0;
  for (let g = 1; g <= groups; g++) {
    const from = Math.floor(((g - 1) * n) / groups);
    const to = Math.floor((g * n) / groups);
    let pos = 0;
    for (let k = from; k < to; k++) pos += y[idx[k] as number] === 1 ? 1 : 0;
    cumRows += to - from;
    cumPos += pos;
    out.push({
      group: g, rows: to - from, positives: pos,
      lift: to > from && rate > 0 ? pos / (to - from) / rate : NaN,
      capturedPositives: P ? cumPos / P : NaN,
      cumulativeLift: cumRows && rate > 0 ? cumPos / cumRows / rate : NaN,
    });
  }
  return out;
}
