/**
 * Drift statistics, ported from evidently's defaults: per-column tests, PSI, dataset drift and the
 * report builder. Pure functions, no I/O.
 */
export { buildDriftReport, distributionRows, distributionSummary, driftColumnRecord, type DistributionRow, type DistributionSummary, type DriftFeatureInput, type DriftReport, type DriftReportColumn, type DriftReportOptions } from './drift-report';
export { columnDrift, type ColumnDriftOptions, type ColumnDriftResult, type DriftTestDetails } from './column-drift';
export { DEFAULT_DRIFT_SHARE, datasetDrift, type DatasetDrift } from './dataset-drift';
export { DRIFT_TESTS, defaultDriftTest, isDrift, type DriftRule, type DriftTestName, type DriftTestSpec } from './drift-tests';
export type { Category, ColumnType, ColumnValue } from './column-values';
export { ksTwoSample, type KsResult } from './ks';
export { chiSquareTest, type ChiSquareResult } from './chisquare';
export { zTest, type ZTestResult } from './z-test';
export { normedWasserstein, wassersteinDistance, type NormedWassersteinResult } from './wasserstein';
export { jensenShannonDistance, jensenShannonTest, type JensenShannonResult } from './jensen-shannon';
export { populationStabilityIndex, psiTest, type PsiResult } from './psi';
export { binnedShares, type BinnedShares } from './binned-shares';
export { kolmogorovSurvival } from './kolmogorov';
export { chiSquareSurvival, normalCdf } from './special-functions';
