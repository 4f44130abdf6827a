/**
 * How well an ordering finds the debtors a call helps, measured against a known true uplift (the
 * synthetic offices' `uplift.csv`): the Qini coefficient normalised by the best ordering, and the
 * mean true uplift by decile of the ordering.
 */

/** Indices of `scores` from the highest score down (ties by index: deterministic). */
function descending(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
}

/** Area under the cumulative true-uplift curve of an ordering (sum over k of the top-k total). */
function area(order: readonly number[], truth: ArrayLike<number>): number {
  let cumulative = 0;
  let sum = 0;
  for (const i of order) {
    cumulative += truth[i] as number;
    sum += cumulative;
  }
  return sum;
}

/**
 * Qini coefficient against the truth: (area of `scores`' ordering − area of a random ordering) /
 * (area of the best ordering − area of a random ordering), where an area sums, over every list
 * length k, the true uplift of the first k. 1 for the best ordering, about 0 for a random one,
 * negative when the ordering calls the debtors a call harms first.
 */
export function qiniCoefficient(scores: ArrayLike<number>, truth: ArrayLike<number>): number {
  const n = truth.length;
  if (n === 0) return NaN;
  let total = 0;
  for (let i = 0; i < n; i++) total += truth[i] as number;
  // A random ordering's expected top-k total is k·total/n; summed over k = 1..n.
  const random = (total * (n + 1)) / 2;
  const best = area(descending(truth), truth);
  return best === random ? NaN : (area(descending(scores), truth) - random) / (best - random);
}

/** Mean true uplift of each tenth of the ordering, the highest scores first. */
export function upliftByDecile(scores: ArrayLike<number>, truth: ArrayLike<number>, bins = 10): number[] {
  const order = descending(scores);
  const means: number[] = [];
  for (let b = 0; b < bins; b++) {
    const from = Math.floor((b * order.length) / bins);
    const to = Math.floor(((b + 1) * order.length) / bins);
    let sum = 0;
    for (let k = from; k < to; k++) sum += truth[order[k] as number] as number;
    means.push(to > from ? sum / (to - from) : NaN);
  }
  return means;
}

/** Observed pay rates of one tenth of an ordering, called against not called. */
export interface ObservedDecile {
  rows: number;
  called: number;
  payRateCalled: number | null;
  payRateNotCalled: number | null;
  /** payRateCalled − payRateNotCalled; null when one group is empty. */
  uplift: number | null;
}

/**
 * What can be measured without the truth, on a snapshot the model never saw: each tenth of the
 * ordering by `scores`, its pay rate among the rows followed by a call (`treated`) against the
 * others. Under the usual calling policy the two groups differ by more than the call (who is
 * called depends on balance and stage), so this is a check of direction, not an unbiased figure.
 */
export function observedUpliftByDecile(scores: ArrayLike<number>, y: ArrayLike<number>, treated: ArrayLike<number>, bins = 10): ObservedDecile[] {
  const order = descending(scores);
  const out: ObservedDecile[] = [];
  for (let b = 0; b < bins; b++) {
    const from = Math.floor((b * order.length) / bins);
    const to = Math.floor(((b + 1) * order.length) / bins);
    let nt = 0;
    let yt = 0;
    let nc = 0;
    let yc = 0;
    for (let k = from; k < to; k++) {
      const i = order[k] as number;
      if (treated[i]) {
        nt++;
        yt += y[i] as number;
      } else {
        nc++;
        yc += y[i] as number;
      }
    }
    const rt = nt ? yt / nt : null;
    const rc = nc ? yc / nc : null;
    out.push({ rows: to - from, called: nt, payRateCalled: rt, payRateNotCalled: rc, uplift: rt !== null && rc !== null ? rt - rc : null });
  }
  return out;
}

/**
 * The observed Qini coefficient of an ordering (Radcliffe 2007): along the ordering, the Qini curve
 * Q(k) = payers called among the first k − payers not called among them × (called / not called
 * among them); the coefficient is the area between that curve and the straight line to Q(n), over
 * n², so 0 for a random ordering and positive when the ordering puts first the rows where calls
 * and payments go together.
 */
export function observedQini(scores: ArrayLike<number>, y: ArrayLike<number>, treated: ArrayLike<number>): number {
  const n = y.length;
  if (n === 0) return NaN;
  const order = descending(scores);
  let nt = 0;
  let yt = 0;
  let nc = 0;
  let yc = 0;
  let area = 0;
  let q = 0;
  for (const i of order) {
    if (treated[i]) {
      nt++;
      yt += y[i] as number;
    } else {
      nc++;
      yc += y[i] as number;
    }
    q = nc > 0 ? yt - (yc * nt) / nc : yt;
    area += q;
  }
  return (area - (q * (n + 1)) / 2) / (n * n);
}
