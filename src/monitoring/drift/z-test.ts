/**
 * Two-proportion z-test, as evidently's `z` stattest. Values are encoded 0 for the first value of
 * the sorted union and 1 for anything else, and p = 2 · (1 − Φ(|z|)). Written as 1 − Φ rather than
 * the survival function, so p is exactly 0 once Φ(|z|) rounds to 1 (|z| above about 8.3).
 */
import { compareCategories, type Category } from './column-values';
import { normalCdf } from './special-functions';

/** Result of the z-test. */
export interface ZTestResult {
  /** (p₁ − p₂) / √(P(1 − P)(1/n₁ + 1/n₂)); null when both sides hold one and the same value. */
  readonly statistic: number | null;
  readonly pValue: number;
  /** The value encoded as 0; null with the single-value shortcut. */
  readonly referenceKey: Category | null;
}

/** Two-sided z-test for a difference in the share of values other than the first (both non-empty). */
export function zTest(reference: readonly Category[], current: readonly Category[]): ZTestResult {
  const n1 = reference.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('zTest needs two non-empty samples');
  const refValues = new Set(reference);
  const curValues = new Set(current);
  if (refValues.size === 1 && curValues.size === 1 && [...refValues][0] === [...curValues][0]) {
    return { statistic: null, pValue: 1, referenceKey: null };
  }
  const key = [...new Set([...refValues, ...curValues])].sort(compareCategories)[0] as Category;
  let ones1 = 0;
  for (const v of reference) if (v !== key) ones1++;
  let ones2 = 0;
  for (const v of current) if (v !== key) ones2++;
  const p1 = ones1 / n1;
  const p2 = ones2 / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic: z, pValue: 2 * (1 - normalCdf(Math.abs(z))), referenceKey: key };
}
