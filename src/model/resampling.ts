/**
 * Class rebalancing for training rows: sample weights ("balanced", as scikit-learn) or random
 * oversampling of the minority class. Both belong inside a training fold: applied before the
 * train/test split, oversampling copies rows into the test fold and inflates every metric.
 */
import type { Rng } from '../core/rng';

/** Weights n / (2 · n_class) per row, so both classes weigh the same in total. */
export function balancedWeights(y: ArrayLike<number>): Float64Array {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] === 1 ? 1 : 0;
  const neg = y.length - pos;
  if (pos === 0 || neg === 0) throw new RangeError('balanced weights need both classes in the training rows');
  const wPos = y.length / (2 * pos);
  const wNeg = y.length / (2 * neg);
  return Float64Array.from({ length: y.length }, (_, i) => (y[i] === 1 ? wPos : wNeg));
}

/**
 * Row indices (into y) with minority rows drawn with replacement until minority/majority reaches
 * `ratio`; every original row kept once, extra draws appended. @defaultValue ratio 1
 */
export function oversampleIndices(y: ArrayLike<number>, rng: Rng, ratio = 1): Int32Array {
  if (!(ratio > 0 && ratio <= 1)) throw new RangeError(`oversampling ratio must be in (0, 1], got ${ratio}`);
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < y.length; i++) (y[i] === 1 ? pos : neg).push(i);
  const [minority, majority] = pos.length <= neg.length ? [pos, neg] : [neg, pos];
  const extra = Math.max(0, Math.round(ratio * majority.length) - minority.length);
  const out = new Int32Array(y.length + (minority.length > 0 ? extra : 0));
  for (let i = 0; i < y.length; i++) out[i] = i;
  if (minority.length > 0) for (let k = 0; k < extra; k++) out[y.length + k] = rng.pick(minority);
  return out;
}
