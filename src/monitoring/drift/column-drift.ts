/**
 * Drift of one column between a reference and a current sample, as evidently's
 * `get_one_column_drift` with its default (or a chosen) stattest.
 */
import { ValidationError } from '../../core/errors';
import type { BinnedShares } from './binned-shares';
import { chiSquareTest } from './chisquare';
import { countDistinct, dropMissing, numericValues, type Category, type ColumnType, type ColumnValue, type PresentValues } from './column-values';
import { DRIFT_TESTS, defaultDriftTest, isDrift, type DriftRule, type DriftTestName } from './drift-tests';
import { jensenShannonTest } from './jensen-shannon';
import { ksTwoSample } from './ks';
import { psiTest } from './psi';
import { normedWasserstein } from './wasserstein';
import { zTest } from './z-test';

/** What each test computed besides its score. */
export type DriftTestDetails =
  | { readonly test: 'ks'; readonly statistic: number; readonly method: 'exact' | 'asymp'; readonly lcm: number; readonly h: number }
  | { readonly test: 'chisquare'; readonly statistic: number; readonly dof: number; readonly categories: Category[]; readonly referenceCounts: number[]; readonly currentCounts: number[] }
  | { readonly test: 'z'; readonly statistic: number | null; readonly referenceKey: Category | null }
  | { readonly test: 'wasserstein_normed'; readonly distance: number; readonly scale: number }
  | { readonly test: 'jensenshannon'; readonly shares: BinnedShares }
  | { readonly test: 'psi'; readonly shares: BinnedShares };

/** The drift verdict for one column. */
export interface ColumnDriftResult {
  readonly type: ColumnType;
  readonly test: DriftTestName;
  /** p-value (ks, chisquare, z) or distance (wasserstein_normed, jensenshannon, psi). */
  readonly score: number;
  readonly threshold: number;
  readonly rule: DriftRule;
  readonly drift: boolean;
  /** Non-missing rows on each side, and the missing rows dropped. */
  readonly nReference: number;
  readonly nCurrent: number;
  readonly nReferenceMissing: number;
  readonly nCurrentMissing: number;
  /** Distinct non-missing values over both sides, and in the reference alone. */
  readonly nUniqueCombined: number;
  readonly nUniqueReference: number;
  readonly details: DriftTestDetails;
}

/** Choices for one column. */
export interface ColumnDriftOptions {
  /** Test to run. @defaultValue the default test for the column (`defaultDriftTest`) */
  readonly test?: DriftTestName;
  /** Drift threshold. @defaultValue the test's `defaultThreshold` */
  readonly threshold?: number;
  /** Column name, for error messages. @defaultValue 'column' */
  readonly name?: string;
}

function runTest(test: DriftTestName, ref: readonly Category[], cur: readonly Category[], type: ColumnType): { score: number; details: DriftTestDetails } {
  switch (test) {
    case 'ks': {
      const r = ksTwoSample(ref as number[], cur as number[]);
      return { score: r.pValue, details: { test, statistic: r.statistic, method: r.method, lcm: r.lcm, h: r.h } };
    }
    case 'chisquare': {
      const r = chiSquareTest(ref, cur);
      return { score: r.pValue, details: { test, statistic: r.statistic, dof: r.dof, categories: r.categories, referenceCounts: r.referenceCounts, currentCounts: r.currentCounts } };
    }
    case 'z': {
      const r = zTest(ref, cur);
      return { score: r.pValue, details: { test, statistic: r.statistic, referenceKey: r.referenceKey } };
    }
    case 'wasserstein_normed': {
      const r = normedWasserstein(ref as number[], cur as number[]);
      return { score: r.score, details: { test, distance: r.distance, scale: r.scale } };
    }
    case 'jensenshannon': {
      const r = jensenShannonTest(ref, cur, type);
      return { score: r.distance, details: { test, shares: r.shares } };
    }
    case 'psi': {
      const r = psiTest(ref, cur, type);
      return { score: r.psi, details: { test, shares: r.shares } };
    }
  }
}

/**
 * Tests one column for drift. Missing cells (null, undefined, NaN, ±Infinity) are dropped from each
 * side first, and every count, including the reference size that picks the default test, is taken
 * after that. Throws a `ValidationError` when a side has no value left, when a numerical column
 * holds a string, or when the chosen test does not accept the column type.
 */
export function columnDrift(
  reference: readonly ColumnValue[],
  current: readonly ColumnValue[],
  type: ColumnType,
  options: ColumnDriftOptions = {},
): ColumnDriftResult {
  const name = options.name ?? 'column';
  const present = (values: readonly ColumnValue[]): PresentValues => (type === 'num' ? numericValues(values, name) : dropMissing(values));
  const ref = present(reference);
  const cur = present(current);
  if (ref.values.length === 0) throw new ValidationError(`${name}: no non-missing value in the reference`, { context: { field: name } });
  if (cur.values.length === 0) throw new ValidationError(`${name}: no non-missing value in the current data`, { context: { field: name } });
  const nUniqueCombined = countDistinct([...ref.values, ...cur.values]);
  const test = options.test ?? defaultDriftTest(type, ref.values.length, nUniqueCombined);
  const spec = DRIFT_TESTS[test];
  if (!spec.types.includes(type)) throw new ValidationError(`${name}: test ${test} does not accept a ${type} column`, { context: { field: name } });
  const threshold = options.threshold ?? spec.defaultThreshold;
  const { score, details } = runTest(test, ref.values, cur.values, type);
  return {
    type,
    test,
    score,
    threshold,
    rule: spec.rule,
    drift: isDrift(score, threshold, spec.rule),
    nReference: ref.values.length,
    nCurrent: cur.values.length,
    nReferenceMissing: ref.missing,
    nCurrentMissing: cur.missing,
    nUniqueCombined,
    nUniqueReference: countDistinct(ref.values),
    details,
  };
}
