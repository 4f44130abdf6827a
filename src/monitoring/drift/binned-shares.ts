/**
 * The two share vectors that the Jensen–Shannon and PSI tests compare, as evidently's
 * `get_binned_data`: numerical columns whose reference has more than 20 distinct values go into a
 * Sturges histogram over both sides pooled; every other column uses its values as categories.
 */
import { categoryCounts, countDistinct, type Category, type ColumnType } from './column-values';
import { histogramCounts, sturgesEdges } from './histogram';

/** A numerical reference with more distinct values than this is binned. */
export const MAX_UNBINNED_REFERENCE_VALUES = 20;

/** Shares per bin or per category, reference vs current. */
export type BinnedShares =
  | { readonly binning: 'sturges_histogram'; readonly edges: number[]; readonly referenceShares: number[]; readonly currentShares: number[] }
  | { readonly binning: 'categories'; readonly categories: Category[]; readonly referenceShares: number[]; readonly currentShares: number[] };

/**
 * Replaces zero shares on one side: by the smallest non-zero share / 10⁶ when that share is
 * ≤ 0.0001, otherwise by 0.0001 (evidently's `feel_zeroes`). Sides are filled separately.
 */
export function fillZeroShares(shares: readonly number[]): number[] {
  let minNonZero = Infinity;
  for (const s of shares) if (s !== 0 && s < minNonZero) minNonZero = s;
  const fill = minNonZero <= 0.0001 ? minNonZero / 1e6 : 0.0001;
  return shares.map((s) => (s === 0 ? fill : s));
}

/** Shares of both (non-empty) sides, binned as evidently does, optionally with zeros filled. */
export function binnedShares(
  reference: readonly Category[],
  current: readonly Category[],
  type: ColumnType,
  fillZeros: boolean,
): BinnedShares {
  const fill = (s: number[]): number[] => (fillZeros ? fillZeroShares(s) : s);
  if (type === 'num' && countDistinct(reference) > MAX_UNBINNED_REFERENCE_VALUES) {
    const ref = reference as readonly number[];
    const cur = current as readonly number[];
    const edges = sturgesEdges([...ref, ...cur]);
    return {
      binning: 'sturges_histogram',
      edges,
      referenceShares: fill(histogramCounts(ref, edges).map((c) => c / ref.length)),
      currentShares: fill(histogramCounts(cur, edges).map((c) => c / cur.length)),
    };
  }
  const counts = categoryCounts(reference, current);
  return {
    binning: 'categories',
    categories: counts.categories,
    referenceShares: fill(counts.reference.map((c) => c / reference.length)),
    currentShares: fill(counts.current.map((c) => c / current.length)),
  };
}
