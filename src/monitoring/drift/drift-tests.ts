/**
 * The drift tests by name: threshold, drift rule, and the default choice per column, as
 * evidently's stattest registry (`_get_default_stattest`) and each stattest's comparison.
 */
import type { ColumnType } from './column-values';

/** Names of the drift tests, as evidently spells them. */
export type DriftTestName = 'ks' | 'chisquare' | 'z' | 'wasserstein_normed' | 'jensenshannon' | 'psi';

/** How a score is compared with its threshold to flag drift. */
export type DriftRule = 'score <= threshold' | 'score < threshold' | 'score >= threshold';

/** A test's defaults. */
export interface DriftTestSpec {
  /** What the score is: a p-value (drift when small) or a distance (drift when large). */
  readonly score: 'p_value' | 'distance';
  readonly defaultThreshold: number;
  readonly rule: DriftRule;
  /** Column types the test accepts. */
  readonly types: readonly ColumnType[];
}

/**
 * Every test with its default threshold and rule. KS flags at p ≤ 0.05 while chi-square and z
 * flag at p < 0.05; the distances flag at ≥ 0.1.
 */
export const DRIFT_TESTS: Readonly<Record<DriftTestName, DriftTestSpec>> = Object.freeze({
  ks: { score: 'p_value', defaultThreshold: 0.05, rule: 'score <= threshold', types: ['num'] },
  chisquare: { score: 'p_value', defaultThreshold: 0.05, rule: 'score < threshold', types: ['num', 'cat'] },
  z: { score: 'p_value', defaultThreshold: 0.05, rule: 'score < threshold', types: ['num', 'cat'] },
  wasserstein_normed: { score: 'distance', defaultThreshold: 0.1, rule: 'score >= threshold', types: ['num'] },
  jensenshannon: { score: 'distance', defaultThreshold: 0.1, rule: 'score >= threshold', types: ['num', 'cat'] },
  psi: { score: 'distance', defaultThreshold: 0.1, rule: 'score >= threshold', types: ['num', 'cat'] },
});

/** Reference sizes up to this use the small-sample tests (ks, chisquare, z). */
export const SMALL_REFERENCE_MAX_ROWS = 1000;

/**
 * The default test for a column, from its type, its non-missing reference size and the number of
 * distinct non-missing values over both sides:
 * - reference ≤ 1000 rows: `ks` for numerical columns with more than 5 values; otherwise
 *   `chisquare` with more than 2 values, `z` with at most 2;
 * - reference > 1000 rows: `wasserstein_normed` for numerical columns with more than 5 values,
 *   `jensenshannon` otherwise.
 */
export function defaultDriftTest(type: ColumnType, referenceRows: number, distinctValues: number): DriftTestName {
  const continuous = type === 'num' && distinctValues > 5;
  if (referenceRows <= SMALL_REFERENCE_MAX_ROWS) {
    if (continuous) return 'ks';
    return distinctValues > 2 ? 'chisquare' : 'z';
  }
  return continuous ? 'wasserstein_normed' : 'jensenshannon';
}

/** Whether `score` means drift under `rule`. NaN never does. */
export function isDrift(score: number, threshold: number, rule: DriftRule): boolean {
  switch (rule) {
    case 'score <= threshold': return score <= threshold;
    case 'score < threshold': return score < threshold;
    case 'score >= threshold': return score >= threshold;
  }
}
