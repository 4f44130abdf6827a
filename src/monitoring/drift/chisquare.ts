/**
 * Pearson's chi-square test of the current counts against the reference proportions, as
 * evidently's `chisquare` stattest: over the union of values, observed = current counts and
 * expected = reference counts × n_current / n_reference, with k − 1 degrees of freedom.
 */
import { categoryCounts, type Category } from './column-values';
import { pairwiseSum } from './pairwise-sum';
import { chiSquareSurvival } from './special-functions';

/** Result of the chi-square test. */
export interface ChiSquareResult {
  /** Σ (observed − expected)² / expected; Infinity when a current value is absent from the reference. */
  readonly statistic: number;
  /** k − 1 for k categories. */
  readonly dof: number;
  /** Upper-tail p-value; 0 when the statistic is infinite. */
  readonly pValue: number;
  /** The categories, sorted. */
  readonly categories: Category[];
  readonly referenceCounts: number[];
  readonly currentCounts: number[];
}

/** Chi-square goodness of fit of `current` to the distribution of `reference` (both non-empty). */
export function chiSquareTest(reference: readonly Category[], current: readonly Category[]): ChiSquareResult {
  if (reference.length === 0 || current.length === 0) throw new RangeError('chiSquareTest needs two non-empty samples');
  const counts = categoryCounts(reference, current);
  const scale = current.length / reference.length;
  const terms = counts.categories.map((_, i) => {
    const observed = counts.current[i] as number;
    const expected = (counts.reference[i] as number) * scale;
    // A value never seen in the reference has expected 0: its term is +∞ (scipy's x/0).
    return expected === 0 ? (observed === 0 ? NaN : Infinity) : ((observed - expected) ** 2) / expected;
  });
  const statistic = pairwiseSum(terms);
  const dof = counts.categories.length - 1;
  return {
    statistic,
    dof,
    pValue: statistic === Infinity ? 0 : chiSquareSurvival(statistic, dof),
    categories: counts.categories,
    referenceCounts: counts.reference,
    currentCounts: counts.current,
  };
}
