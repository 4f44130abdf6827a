/**
 * Realised performance of a published list once its outcomes are known: AUC of the scores
 * against "paid within the horizon" (0/1), the pay rate by score decile, and an alert when the
 * AUC falls under a floor. Pure: the caller reads scores and outcomes and stores the result in
 * `monitoring.realised_performance`.
 */
import { ValidationError } from '../core/errors';
import { auc } from '../model/metrics';

/** Default AUC floor, as config `monitoring.realisedAucFloor`. */
export const DEFAULT_REALISED_AUC_FLOOR = 0.65;

/** One score decile; decile 1 holds the highest scores. */
export interface DecileRow {
  readonly decile: number;
  readonly n: number;
  readonly nPaid: number;
  /** nPaid / n. */
  readonly payRate: number;
  /** Mean score (predicted probability of paying) in the decile. */
  readonly meanPPay: number;
}

/** Realised performance of one list, in the shape `monitoring/store` saves (less its keys). */
export interface RealisedPerformanceResult {
  readonly n: number;
  readonly nPaid: number;
  /** nPaid / n. */
  readonly payRate: number;
  /** ROC AUC with midranks for tied scores; null when only one outcome was observed. */
  readonly auc: number | null;
  readonly aucFloor: number;
  /** AUC known and below the floor. */
  readonly alert: boolean;
  /** The non-empty deciles, in order (a decile can be empty only when many scores tie). */
  readonly deciles: DecileRow[];
}

/** Settings. */
export interface RealisedPerformanceOptions {
  /** Alert when the AUC is below this. @defaultValue 0.65 */
  readonly aucFloor?: number;
  /** Number of score groups. @defaultValue 10 */
  readonly groups?: number;
}

/**
 * Decile of every row: 1 + ⌊groups · (rows scoring strictly higher) / n⌋. Tied scores share a
 * decile whatever the row order, so groups can be uneven (or empty) when many scores tie.
 */
export function scoreDeciles(scores: ArrayLike<number>, groups = 10): Int32Array {
  const n = scores.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const decile = new Int32Array(n);
  let higher = 0;
  for (let i = 0; i < n; ) {
    const v = scores[order[i] as number] as number;
    let j = i;
    while (j < n && scores[order[j] as number] === v) j++;
    const g = 1 + Math.floor((groups * higher) / n);
    for (let k = i; k < j; k++) decile[order[k] as number] = g;
    higher = j;
    i = j;
  }
  return decile;
}

/**
 * AUC, pay rate per score decile and the alert flag for scores (probabilities of paying) and
 * realised outcomes (1 = paid within the horizon, 0 = not). Throws a `ValidationError` without
 * rows, when the lengths differ, a score is not finite or an outcome is not 0/1.
 */
export function realisedPerformance(
  scores: ArrayLike<number>,
  paid: ArrayLike<number>,
  options: RealisedPerformanceOptions = {},
): RealisedPerformanceResult {
  const aucFloor = options.aucFloor ?? DEFAULT_REALISED_AUC_FLOOR;
  const groups = options.groups ?? 10;
  if (!Number.isInteger(groups) || groups < 1) throw new ValidationError(`groups must be a positive integer, got ${groups}`, { context: { field: 'groups' } });
  if (scores.length !== paid.length) throw new ValidationError(`scores (${scores.length}) and outcomes (${paid.length}) differ in length`, { context: { field: 'paid' } });
  const n = scores.length;
  if (n === 0) throw new ValidationError('no scored row to measure', { context: { field: 'scores' } });
  let nPaid = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) throw new ValidationError(`score ${i} is not a finite number`, { context: { field: 'scores' } });
    const y = paid[i];
    if (y !== 0 && y !== 1) throw new ValidationError(`outcome ${i} must be 0 or 1, got ${y}`, { context: { field: 'paid' } });
    nPaid += y;
  }
  const a = nPaid === 0 || nPaid === n ? null : auc(paid, scores);
  const decile = scoreDeciles(scores, groups);
  const rows = Array.from({ length: groups }, () => ({ n: 0, paid: 0, sum: 0 }));
  for (let i = 0; i < n; i++) {
    const row = rows[(decile[i] as number) - 1] as { n: number; paid: number; sum: number };
    row.n++;
    row.paid += paid[i] as number;
    row.sum += scores[i] as number;
  }
  return {
    n,
    nPaid,
    payRate: nPaid / n,
    auc: a,
    aucFloor,
    alert: a !== null && a < aucFloor,
    deciles: rows.flatMap((r, g) => (r.n === 0 ? [] : [{ decile: g + 1, n: r.n, nPaid: r.paid, payRate: r.paid / r.n, meanPPay: r.sum / r.n }])),
  };
}
