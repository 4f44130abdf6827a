/**
 * Jensen–Shannon distance (natural log), as scipy's `spatial.distance.jensenshannon` with
 * `base=None`: both vectors are renormalised to sum to 1, m = (p + q)/2, and the distance is
 * √((KL(p‖m) + KL(q‖m)) / 2). Zero entries contribute 0 (no smoothing).
 */
import { binnedShares, type BinnedShares } from './binned-shares';
import type { Category, ColumnType } from './column-values';
import { pairwiseSum } from './pairwise-sum';

/** x · ln(x / y) with the conventions of scipy's `rel_entr`. */
function relativeEntropyTerm(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/** Jensen–Shannon distance between two non-negative weight vectors of equal length. */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length) throw new RangeError(`jensenShannonDistance: lengths differ (${p.length} vs ${q.length})`);
  const sp = pairwiseSum(p);
  const sq = pairwiseSum(q);
  const pn = p.map((v) => v / sp);
  const qn = q.map((v) => v / sq);
  const m = pn.map((v, i) => (v + (qn[i] as number)) / 2);
  const left = pairwiseSum(pn.map((v, i) => relativeEntropyTerm(v, m[i] as number)));
  const right = pairwiseSum(qn.map((v, i) => relativeEntropyTerm(v, m[i] as number)));
  return Math.sqrt((left + right) / 2);
}

/** Result of evidently's `jensenshannon` stattest. */
export interface JensenShannonResult {
  readonly distance: number;
  /** Shares per category (or histogram bin), count / n, without zero filling. */
  readonly shares: BinnedShares;
}

/**
 * Jensen–Shannon distance between the value shares of two non-empty samples; a numerical column
 * whose reference has more than 20 distinct values is compared on a Sturges histogram instead.
 */
export function jensenShannonTest(reference: readonly Category[], current: readonly Category[], type: ColumnType): JensenShannonResult {
  if (reference.length === 0 || current.length === 0) throw new RangeError('jensenShannonTest needs two non-empty samples');
  const shares = binnedShares(reference, current, type, false);
  return { distance: jensenShannonDistance(shares.referenceShares, shares.currentShares), shares };
}
