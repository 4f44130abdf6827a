/**
 * A drift report over many features: each feature's default (or chosen) test, its PSI, and the
 * distributions to chart, then the dataset verdict. Pure: values in, plain JSON out, ready to be
 * stored in `monitoring.drift_reports` / `monitoring.drift_columns` by the caller.
 */
import { ValidationError } from '../../core/errors';
import { columnDrift, type ColumnDriftResult } from './column-drift';
import { categoryCounts, dropMissing, numericValues, type Category, type ColumnType, type ColumnValue } from './column-values';
import { DEFAULT_DRIFT_SHARE, datasetDrift, type DatasetDrift } from './dataset-drift';
import { DRIFT_TESTS, type DriftRule, type DriftTestName } from './drift-tests';
import { histogramCounts, sturgesEdges } from './histogram';

/** One feature to compare. */
export interface DriftFeatureInput {
  /** Feature name; unique within a report. */
  readonly name: string;
  readonly type: ColumnType;
  /** Reference values (the model's training sample); missing cells are null, NaN or ±Infinity. */
  readonly reference: readonly ColumnValue[];
  /** Current values (the snapshot being scored). */
  readonly current: readonly ColumnValue[];
  /** Test to run. @defaultValue evidently's default for the column */
  readonly test?: DriftTestName;
  /** Drift threshold of that test. @defaultValue the test's default */
  readonly threshold?: number;
}

/** Report-wide settings. */
export interface DriftReportOptions {
  /** Share of drifted features from which the dataset is drifted (config `monitoring.driftShare`). @defaultValue 0.5 */
  readonly driftShare?: number;
  /** PSI threshold for the per-feature PSI flag. @defaultValue 0.1 */
  readonly psiThreshold?: number;
}

/**
 * What to chart for a feature. Numerical: counts per bin on Sturges edges shared by both sides
 * (bin i is [edges[i], edges[i+1]), the last one closed). Categorical: share of each category
 * among the non-missing values.
 */
export type DistributionSummary =
  | { readonly kind: 'histogram'; readonly edges: number[]; readonly referenceCounts: number[]; readonly currentCounts: number[] }
  | { readonly kind: 'categories'; readonly categories: Category[]; readonly referenceShares: number[]; readonly currentShares: number[] };

/** One feature's line of the report. */
export interface DriftReportColumn {
  readonly feature: string;
  readonly type: ColumnType;
  readonly test: DriftTestName;
  /** p-value (ks, chisquare, z) or distance (wasserstein_normed, jensenshannon, psi). */
  readonly score: number;
  readonly threshold: number;
  readonly rule: DriftRule;
  readonly drift: boolean;
  /**
   * The test statistic: KS D, chi-square, z, raw Wasserstein distance, or the distance itself
   * for jensenshannon and psi. `"inf"` for an infinite chi-square (a value absent from the
   * reference); null for a z-test on one shared value.
   */
  readonly statistic: number | 'inf' | null;
  readonly psi: number;
  readonly psiThreshold: number;
  readonly psiDrift: boolean;
  readonly nReference: number;
  readonly nCurrent: number;
  readonly nReferenceMissing: number;
  readonly nCurrentMissing: number;
  readonly distribution: DistributionSummary;
}

/** A whole drift report. */
export interface DriftReport {
  readonly columns: DriftReportColumn[];
  /** Dataset verdict from each feature's test. */
  readonly dataset: DatasetDrift;
  /** The same rule applied to the PSI flags, for comparison. */
  readonly datasetByPsi: DatasetDrift;
  /** Rows on each side, missing cells included (the longest feature's, should they differ). */
  readonly nReferenceRows: number;
  readonly nCurrentRows: number;
}

function jsonStatistic(r: ColumnDriftResult): number | 'inf' | null {
  const d = r.details;
  const raw = d.test === 'wasserstein_normed' ? d.distance : d.test === 'jensenshannon' || d.test === 'psi' ? r.score : d.statistic;
  if (raw === null || Number.isNaN(raw)) return null;
  return raw === Infinity ? 'inf' : raw;
}

/** The chart data for one feature, after dropping missing values. */
export function distributionSummary(feature: Pick<DriftFeatureInput, 'name' | 'type' | 'reference' | 'current'>): DistributionSummary {
  if (feature.type === 'num') {
    const ref = numericValues(feature.reference, feature.name).values;
    const cur = numericValues(feature.current, feature.name).values;
    const edges = sturgesEdges([...ref, ...cur]);
    return { kind: 'histogram', edges, referenceCounts: histogramCounts(ref, edges), currentCounts: histogramCounts(cur, edges) };
  }
  const ref = dropMissing(feature.reference).values;
  const cur = dropMissing(feature.current).values;
  const counts = categoryCounts(ref, cur);
  return {
    kind: 'categories',
    categories: counts.categories,
    referenceShares: counts.reference.map((c) => c / ref.length),
    currentShares: counts.current.map((c) => c / cur.length),
  };
}

/**
 * Builds the report: for every feature the drift test, PSI and chart data; then the share of
 * drifted features against `driftShare` (inclusive). Throws a `ValidationError` for a duplicate
 * feature name or a feature with no non-missing value on one side.
 */
export function buildDriftReport(features: readonly DriftFeatureInput[], options: DriftReportOptions = {}): DriftReport {
  const psiThreshold = options.psiThreshold ?? DRIFT_TESTS.psi.defaultThreshold;
  const seen = new Set<string>();
  const columns = features.map((f): DriftReportColumn => {
    if (seen.has(f.name)) throw new ValidationError(`feature ${f.name} appears twice in the drift report`, { context: { field: f.name } });
    seen.add(f.name);
    const r = columnDrift(f.reference, f.current, f.type, { name: f.name, test: f.test, threshold: f.threshold });
    const psi = columnDrift(f.reference, f.current, f.type, { name: f.name, test: 'psi', threshold: psiThreshold });
    return {
      feature: f.name,
      type: f.type,
      test: r.test,
      score: r.score,
      threshold: r.threshold,
      rule: r.rule,
      drift: r.drift,
      statistic: jsonStatistic(r),
      psi: psi.score,
      psiThreshold,
      psiDrift: psi.drift,
      nReference: r.nReference,
      nCurrent: r.nCurrent,
      nReferenceMissing: r.nReferenceMissing,
      nCurrentMissing: r.nCurrentMissing,
      distribution: distributionSummary(f),
    };
  });
  const driftShare = options.driftShare ?? DEFAULT_DRIFT_SHARE;
  return {
    columns,
    dataset: datasetDrift(columns.map((c) => c.drift), driftShare),
    datasetByPsi: datasetDrift(columns.map((c) => c.psiDrift), driftShare),
    nReferenceRows: features.reduce((m, f) => Math.max(m, f.reference.length), 0),
    nCurrentRows: features.reduce((m, f) => Math.max(m, f.current.length), 0),
  };
}

/** One bar pair of a chart: shares of reference and current in a bin or category. */
export interface DistributionRow {
  /** `[a, b)` (last bin `[a, b]`) for a histogram bin; the category itself as text otherwise. */
  readonly bin: string;
  readonly reference: number;
  readonly current: number;
}

/**
 * The distribution as `[{bin, reference, current}]` shares, the shape of
 * `monitoring.drift_columns.distribution`. Histogram counts become shares of each side's total.
 */
export function distributionRows(d: DistributionSummary): DistributionRow[] {
  if (d.kind === 'categories') {
    return d.categories.map((c, i) => ({ bin: String(c), reference: d.referenceShares[i] as number, current: d.currentShares[i] as number }));
  }
  const total = (counts: number[]): number => counts.reduce((a, b) => a + b, 0);
  const nRef = total(d.referenceCounts);
  const nCur = total(d.currentCounts);
  return d.referenceCounts.map((c, i) => ({
    bin: `[${d.edges[i]}, ${d.edges[i + 1]}${i === d.referenceCounts.length - 1 ? ']' : ')'}`,
    reference: nRef ? c / nRef : 0,
    current: nCur ? (d.currentCounts[i] as number) / nCur : 0,
  }));
}

/**
 * A report line in the shape `monitoring/store` writes to `monitoring.drift_columns`: the test as
 * `method`, the p-value (null for the distance tests), the statistic (null when infinite or
 * undefined), shares per bin and the share of missing cells on each side.
 */
export function driftColumnRecord(c: DriftReportColumn): {
  feature: string;
  method: DriftTestName;
  statistic: number | null;
  pValue: number | null;
  threshold: number;
  drifted: boolean;
  distribution: DistributionRow[];
  referenceMissingShare: number;
  currentMissingShare: number;
} {
  const missingShare = (missing: number, present: number): number => (missing + present ? missing / (missing + present) : 0);
  return {
    feature: c.feature,
    method: c.test,
    statistic: typeof c.statistic === 'number' ? c.statistic : null,
    pValue: DRIFT_TESTS[c.test].score === 'p_value' ? c.score : null,
    threshold: c.threshold,
    drifted: c.drift,
    distribution: distributionRows(c.distribution),
    referenceMissingShare: missingShare(c.nReferenceMissing, c.nReference),
    currentMissingShare: missingShare(c.nCurrentMissing, c.nCurrent),
  };
}
