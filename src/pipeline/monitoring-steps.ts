/**
 * The monitoring steps of the nightly DAG: drift of tonight's feature snapshot against the
 * champion's training reference, and the realised performance of the list published one horizon
 * ago, now that its payers are known.
 */
import type { Logger } from '../core/log';
import { addDays, type IsoDate } from '../core/ids';
import { buildDriftReport, driftColumnRecord, DRIFT_TESTS, type DriftReport as ComputedDriftReport } from '../monitoring/drift';
import { realisedPerformance } from '../monitoring/realised-performance';
import { saveDriftReport, saveRealisedPerformance } from '../monitoring/store';
import { alertOnDatasetDrift, alertOnRealisedAuc } from '../monitoring/alerts';
import { getAliasVersion } from '../model/registry';
import { readSnapshotSample, type ModelFrame } from '../features';
import { runSql } from '../db';
import type { Json } from '../dag';
import type { PipelineResources } from './resources';

/** The sample of training features kept with a model version (see train-office). */
export interface DriftReference {
  featureNames: readonly string[];
  rows: (number | null)[][];
}

/** Compares each model feature of `current` with the reference sample (evidently's default tests). */
export function driftAgainstReference(reference: DriftReference, current: Pick<ModelFrame, 'nRows' | 'nCols' | 'data' | 'featureNames'>, driftShare: number): ComputedDriftReport {
  const features = reference.featureNames
    .map((name, j) => ({ name, j, k: current.featureNames.indexOf(name) }))
    .filter(({ k }) => k >= 0)
    .map(({ name, j, k }) => ({
      name,
      type: 'num' as const,
      reference: reference.rows.map((row) => row[j] ?? null),
      current: Array.from({ length: current.nRows }, (_, i) => current.data[i * current.nCols + k] as number),
    }))
    // a column empty on one side has no distribution to compare
    .filter((f) => f.reference.some((v) => v !== null) && f.current.some((v) => Number.isFinite(v)));
  return buildDriftReport(features, { driftShare });
}

/**
 * The stored form of a column: for the distance tests the statistic shown and compared with the
 * threshold is the test's score (normed Wasserstein, Jensen–Shannon), not the raw distance.
 */
function storedColumn(column: ComputedDriftReport['columns'][number]) {
  const record = driftColumnRecord(column);
  return DRIFT_TESTS[column.test].score === 'distance' ? { ...record, statistic: column.score } : record;
}

/** Drift of tonight's snapshot against the champion's reference; stored, and alerted when the dataset drifted. */
export async function driftStep(resources: PipelineResources, run: { runId: string; listDate: IsoDate; log: Logger }): Promise<Json> {
  const { db, config } = resources;
  const champion = await getAliasVersion(db.knex, 'champion');
  const reference = champion?.reference as DriftReference | null | undefined;
  if (!champion || !reference?.rows?.length) return { skipped: 'the champion has no training reference' };
  // A large office is compared on a fixed uniform sample of tonight's snapshot: memory stays flat.
  const frame = await readSnapshotSample(db.knex, run.listDate, { maxRows: config.monitoring.driftMaxRows });
  if (frame.nRows === 0) return { skipped: 'no feature snapshot for the list date' };
  const report = driftAgainstReference(reference, frame, config.monitoring.driftShare);
  const stored = await saveDriftReport(db, {
    asOf: run.listDate,
    modelVersionId: champion.versionId,
    runId: run.runId,
    shareThreshold: config.monitoring.driftShare,
    nReference: report.nReferenceRows,
    nCurrent: report.nCurrentRows,
    columns: report.columns.map(storedColumn),
  });
  const alert = await alertOnDatasetDrift(db, stored, config, { log: run.log });
  return { reportId: stored.reportId, features: stored.nFeatures, drifted: stored.nDrifted, datasetDrift: stored.datasetDrift, alerted: alert !== null };
}

/**
 * Realised performance of the scores of `listDate − horizon`: AUC and pay rate by decile on what
 * the debtors actually paid in the horizon; stored, and alerted when the AUC is under the floor.
 */
export async function realisedPerformanceStep(resources: PipelineResources, run: { listDate: IsoDate; log: Logger }): Promise<Json> {
  const { db, config } = resources;
  const horizon = config.scoring.horizonDays;
  const scoredOn = addDays(run.listDate, -horizon);
  const { rows } = await runSql<{ p_pay: number; model_version_id: string; paid: number }>(db.knex, 'monitoring/realised-outcomes', { scored_on: scoredOn, horizon_days: horizon });
  if (rows.length === 0) return { skipped: `no scores on ${scoredOn}` };
  const result = realisedPerformance(
    rows.map((r) => r.p_pay),
    rows.map((r) => (r.paid >= config.scoring.minPaidAmount ? 1 : 0)),
    { aucFloor: config.monitoring.realisedAucFloor },
  );
  const perf = { listDate: scoredOn, modelVersionId: rows[0]!.model_version_id, horizonDays: horizon, n: result.n, nPaid: result.nPaid, payRate: result.payRate, auc: result.auc, deciles: result.deciles };
  await saveRealisedPerformance(db, perf);
  const alert = await alertOnRealisedAuc(db, perf, config, { log: run.log });
  return { listDate: scoredOn, n: result.n, payRate: result.payRate, auc: result.auc, alerted: alert !== null };
}
