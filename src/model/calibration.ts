/**
 * Probability calibration, fitted on out-of-fold predictions of training rows only: Platt scaling
 * (a logistic regression on the logit of the score) and isotonic regression (pool adjacent
 * violators), plus the reliability curve used to judge either.
 */
import { sigmoid } from './classifier';
import { fitLogisticIrls } from './logistic-irls';

/** A fitted calibration map from scores to probabilities; plain JSON. */
export type CalibratorState =
  | { readonly kind: 'none' }
  | { readonly kind: 'platt'; readonly slope: number; readonly intercept: number }
  | {
      readonly kind: 'isotonic';
      /** Lowest score of each block, ascending. */
      readonly thresholds: readonly number[];
      /** Calibrated probability of each block, non-decreasing. */
      readonly values: readonly number[];
    };

/** Calibration method names. */
export type CalibrationMethod = CalibratorState['kind'];

/** Logit of a probability, clipped away from 0 and 1. */
export function logit(p: number): number {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return Math.log(q / (1 - q));
}

/** Fits Platt scaling: P(y = 1) = σ(slope · logit(p) + intercept), by maximum likelihood. */
export function fitPlatt(p: ArrayLike<number>, y: ArrayLike<number>): CalibratorState {
  const n = p.length;
  const data = Float64Array.from({ length: n }, (_, i) => logit(p[i] as number));
  const labels = Uint8Array.from({ length: n }, (_, i) => (y[i] === 1 ? 1 : 0));
  const s = fitLogisticIrls({ nRows: n, nCols: 1, data }, labels, undefined, { l2: 0, tolerance: 1e-10, objectiveTolerance: 0 });
  return { kind: 'platt', slope: s.coefficients[0] as number, intercept: s.intercept };
}

/**
 * Fits isotonic regression by pool adjacent violators: the non-decreasing step function of the
 * score closest to y in squared error. Tied scores form one block.
 */
export function fitIsotonic(p: ArrayLike<number>, y: ArrayLike<number>): CalibratorState {
  const n = p.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (p[a] as number) - (p[b] as number));
  const lows: number[] = [];
  const sums: number[] = [];
  const counts: number[] = [];
  for (let k = 0; k < n; ) {
    const v = p[order[k] as number] as number;
    let s = 0;
    let c = 0;
    for (; k < n && p[order[k] as number] === v; k++) { s += y[order[k] as number] === 1 ? 1 : 0; c++; }
    lows.push(v);
    sums.push(s);
    counts.push(c);
    // pool while the previous block's mean exceeds this one's
    while (sums.length > 1) {
      const last = sums.length - 1;
      if ((sums[last - 1] as number) / (counts[last - 1] as number) <= (sums[last] as number) / (counts[last] as number)) break;
      sums[last - 1] = (sums[last - 1] as number) + (sums[last] as number);
      counts[last - 1] = (counts[last - 1] as number) + (counts[last] as number);
      sums.pop();
      counts.pop();
      lows.pop();
    }
  }
  return { kind: 'isotonic', thresholds: lows, values: sums.map((s, b) => s / (counts[b] as number)) };
}

/** Fits the named calibration. */
export function fitCalibrator(method: CalibrationMethod, p: ArrayLike<number>, y: ArrayLike<number>): CalibratorState {
  if (p.length !== y.length) throw new RangeError(`calibration: ${p.length} scores for ${y.length} labels`);
  if (method === 'none') return { kind: 'none' };
  if (method === 'platt') return fitPlatt(p, y);
  if (method === 'isotonic') return fitIsotonic(p, y);
  throw new RangeError(`calibration must be 'none', 'platt' or 'isotonic', got ${String(method)}`);
}

/** Applies a fitted calibration to scores. */
export function applyCalibrator(state: CalibratorState, p: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(p);
  if (state.kind === 'platt') {
    for (let i = 0; i < out.length; i++) out[i] = sigmoid(state.slope * logit(out[i] as number) + state.intercept);
  } else if (state.kind === 'isotonic') {
    const t = state.thresholds;
    const v = state.values;
    if (t.length === 0) return out;
    for (let i = 0; i < out.length; i++) {
      // the last block whose lowest score is ≤ the score (the first block below the range)
      const s = out[i] as number;
      let lo = 0;
      let hi = t.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((t[mid] as number) <= s) lo = mid; else hi = mid - 1;
      }
      out[i] = v[lo] as number;
    }
  }
  return out;
}

/** One bin of a reliability curve. */
export interface ReliabilityBin {
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

/**
 * Reliability curve: rows binned by predicted probability (`uniform`: equal-width bins on [0, 1];
 * `quantile`: equal-count bins), with mean prediction and observed positive rate per non-empty bin.
 * @defaultValue bins 10, strategy 'uniform'
 */
export function reliabilityCurve(y: ArrayLike<number>, p: ArrayLike<number>, bins = 10, strategy: 'uniform' | 'quantile' = 'uniform'): ReliabilityBin[] {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const n = p.length;
  const binOf = new Int32Array(n);
  if (strategy === 'uniform') {
    for (let i = 0; i < n; i++) binOf[i] = Math.min(bins - 1, Math.max(0, Math.floor((p[i] as number) * bins)));
  } else {
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (p[a] as number) - (p[b] as number));
    for (let r = 0; r < n; r++) binOf[order[r] as number] = Math.min(bins - 1, Math.floor((r * bins) / n));
  }
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const lo = new Float64Array(bins).fill(Infinity);
  const hi = new Float64Array(bins).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const b = binOf[i] as number;
    const v = p[i] as number;
    count[b] = (count[b] as number) + 1;
    sumP[b] = (sumP[b] as number) + v;
    sumY[b] = (sumY[b] as number) + (y[i] === 1 ? 1 : 0);
    lo[b] = Math.min(lo[b] as number, v);
    hi[b] = Math.max(hi[b] as number, v);
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = count[b] as number;
    if (c === 0) continue;
    const edges = strategy === 'uniform' ? [b / bins, (b + 1) / bins] : [lo[b] as number, hi[b] as number];
    out.push({ lo: edges[0] as number, hi: edges[1] as number, count: c, meanPredicted: (sumP[b] as number) / c, observedRate: (sumY[b] as number) / c });
  }
  return out;
}

/**
 * Expected calibration error: the mean gap |mean predicted − observed rate| over the `bins`
 * equal-width bins of [0, 1], each bin weighted by its share of the rows. 0 for a perfectly
 * calibrated model; NaN without rows. @defaultValue bins 10
 */
export function expectedCalibrationError(y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): number {
  if (p.length === 0) return NaN;
  let sum = 0;
  for (const b of reliabilityCurve(y, p, bins, 'uniform')) sum += b.count * Math.abs(b.meanPredicted - b.observedRate);
  return sum / p.length;
}

/** True for a well-formed calibration state (as read back from stored JSON). */
export function isCalibratorState(v: unknown): v is CalibratorState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  if (s.kind === 'none') return true;
  if (s.kind === 'platt') return typeof s.slope === 'number' && typeof s.intercept === 'number';
  if (s.kind === 'isotonic') return Array.isArray(s.thresholds) && Array.isArray(s.values) && s.thresholds.length === s.values.length;
  return false;
}
