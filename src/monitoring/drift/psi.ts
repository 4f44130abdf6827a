/**
 * Population Stability Index, as evidently's `psi` stattest:
 * PSI = Σ (ref − cur) · ln(ref / cur) over the bins of `binnedShares`, zero shares filled first.
 */
import { binnedShares, type BinnedShares } from './binned-shares';
import type { Category, ColumnType } from './column-values';
import { pairwiseSum } from './pairwise-sum';

/** Result of the PSI computation. */
export interface PsiResult {
  readonly psi: number;
  /** The shares compared, after zero filling. */
  readonly shares: BinnedShares;
}

/** PSI of two share vectors of equal length, all shares > 0. */
export function populationStabilityIndex(referenceShares: readonly number[], currentShares: readonly number[]): number {
  if (referenceShares.length !== currentShares.length) throw new RangeError('populationStabilityIndex: share vectors differ in length');
  return pairwiseSum(referenceShares.map((r, i) => {
    const c = currentShares[i] as number;
    return (r - c) * Math.log(r / c);
  }));
}

/** PSI between two non-empty samples of a column of the given type. */
export function psiTest(reference: readonly Category[], current: readonly Category[], type: ColumnType): PsiResult {
  if (reference.length === 0 || current.length === 0) throw new RangeError('psiTest needs two non-empty samples');
  const shares = binnedShares(reference, current, type, true);
  return { psi: populationStabilityIndex(shares.referenceShares, shares.currentShares), shares };
}
