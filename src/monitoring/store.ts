/**
 * Storage of monitoring results in `monitoring.*`: drift reports with their per-feature rows, and
 * the realised performance of published lists. The statistics are computed elsewhere; this module
 * only writes and reads them.
 */
import type { Knex } from 'knex';
import type { Database } from '../db';
import { isoDate, newId, type IsoDate } from '../core/ids';
import { NotFoundError } from '../core/errors';

/** One bin of a feature's distribution, as shares of the reference and current rows. */
export interface DistributionBin {
  /** Bin label (`[0, 10)`, a category, `missing`). */
  bin: string;
  reference: number;
  current: number;
}

/** The drift of one feature. */
export interface DriftColumn {
  feature: string;
  /** Test or distance used: `psi`, `ks`, `chi2`, `wasserstein`, … */
  method: string;
  statistic: number | null;
  pValue?: number | null;
  threshold?: number | null;
  drifted: boolean;
  distribution?: DistributionBin[];
  referenceMissingShare?: number | null;
  currentMissingShare?: number | null;
}

/** A dataset drift report: a snapshot compared with the model's training reference. */
export interface DriftReport {
  /** @defaultValue a new UUID */
  reportId?: string;
  asOf: IsoDate;
  modelVersionId?: string | null;
  runId?: string | null;
  /** Share of drifted features from which the dataset counts as drifted. */
  shareThreshold: number;
  nReference?: number | null;
  nCurrent?: number | null;
  columns: DriftColumn[];
}

/** A stored drift report, with its derived counts. */
export interface StoredDriftReport extends Omit<DriftReport, 'reportId'> {
  reportId: string;
  createdAt: Date;
  nFeatures: number;
  nDrifted: number;
  driftShare: number;
  datasetDrift: boolean;
}

/** Realised performance of one list once its horizon has passed. */
export interface RealisedPerformance {
  listDate: IsoDate;
  modelVersionId: string;
  horizonDays: number;
  n: number;
  nPaid: number;
  payRate: number;
  /** Null when only one class was observed. */
  auc: number | null;
  /** Decile 1 holds the highest scores. */
  deciles: { decile: number; n: number; nPaid: number; payRate: number; meanPPay: number }[];
}

type Runner = Knex | Knex.Transaction;
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/**
 * Stores a drift report and its feature rows in one transaction; the counts and the dataset-drift
 * verdict are derived here (drifted share ≥ `shareThreshold`) so that every reader agrees.
 */
export async function saveDriftReport(db: Database, report: DriftReport): Promise<StoredDriftReport> {
  const reportId = report.reportId ?? newId();
  const nFeatures = report.columns.length;
  const nDrifted = report.columns.filter((c) => c.drifted).length;
  const driftShare = nFeatures === 0 ? 0 : nDrifted / nFeatures;
  const datasetDrift = nFeatures > 0 && driftShare >= report.shareThreshold;
  const createdAt = new Date();
  await db.knex.transaction(async (trx) => {
    await trx('monitoring.drift_reports').insert({
      report_id: reportId,
      as_of: report.asOf,
      model_version_id: report.modelVersionId ?? null,
      run_id: report.runId ?? null,
      created_at: createdAt,
      n_features: nFeatures,
      n_drifted: nDrifted,
      drift_share: driftShare,
      share_threshold: report.shareThreshold,
      dataset_drift: datasetDrift,
      n_reference: report.nReference ?? null,
      n_current: report.nCurrent ?? null,
    });
    if (nFeatures > 0) {
      await trx('monitoring.drift_columns').insert(
        report.columns.map((c) => ({
          report_id: reportId,
          feature: c.feature,
          method: c.method,
          statistic: finiteOrNull(c.statistic),
          p_value: finiteOrNull(c.pValue),
          threshold: finiteOrNull(c.threshold),
          drifted: c.drifted,
          distribution: JSON.stringify(c.distribution ?? []),
          reference_missing_share: finiteOrNull(c.referenceMissingShare),
          current_missing_share: finiteOrNull(c.currentMissingShare),
        })),
      );
    }
  });
  return { ...report, reportId, createdAt, nFeatures, nDrifted, driftShare, datasetDrift };
}

function finiteOrNull(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function reportFromRow(r: Record<string, unknown>, columns: DriftColumn[]): StoredDriftReport {
  return {
    reportId: r.report_id as string,
    asOf: isoDate(r.as_of) as string,
    modelVersionId: (r.model_version_id as string | null) ?? null,
    runId: (r.run_id as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
    nFeatures: Number(r.n_features),
    nDrifted: Number(r.n_drifted),
    driftShare: Number(r.drift_share),
    shareThreshold: Number(r.share_threshold),
    datasetDrift: Boolean(r.dataset_drift),
    nReference: (r.n_reference as number | null) ?? null,
    nCurrent: (r.n_current as number | null) ?? null,
    columns,
  };
}

/** Drift reports, newest snapshot first, without their feature rows. */
export async function listDriftReports(runner: Runner, limit = 60): Promise<StoredDriftReport[]> {
  const rows = await runner('monitoring.drift_reports').orderBy([{ column: 'as_of', order: 'desc' }, { column: 'created_at', order: 'desc' }]).limit(limit);
  return rows.map((r: Record<string, unknown>) => reportFromRow(r, []));
}

/** One drift report with its feature rows (drifted first, then by statistic); `latest` for the newest. */
export async function getDriftReport(runner: Runner, reportId: string | 'latest'): Promise<StoredDriftReport> {
  const query = runner('monitoring.drift_reports');
  const row = reportId === 'latest' ? await query.orderBy([{ column: 'as_of', order: 'desc' }, { column: 'created_at', order: 'desc' }]).first() : await query.where({ report_id: reportId }).first();
  if (!row) throw new NotFoundError(reportId === 'latest' ? 'no drift report yet' : `no drift report ${reportId}`);
  const columns = await runner('monitoring.drift_columns').where({ report_id: row.report_id }).orderBy([{ column: 'drifted', order: 'desc' }, { column: 'statistic', order: 'desc' }]);
  return reportFromRow(
    row,
    columns.map((c: Record<string, unknown>) => ({
      feature: c.feature as string,
      method: c.method as string,
      statistic: (c.statistic as number | null) ?? null,
      pValue: (c.p_value as number | null) ?? null,
      threshold: (c.threshold as number | null) ?? null,
      drifted: Boolean(c.drifted),
      distribution: json<DistributionBin[]>(c.distribution),
      referenceMissingShare: (c.reference_missing_share as number | null) ?? null,
      currentMissingShare: (c.current_missing_share as number | null) ?? null,
    })),
  );
}

/** Stores (or replaces) the realised performance of a list for a model version. */
export async function saveRealisedPerformance(db: Database, perf: RealisedPerformance): Promise<void> {
  await db
    .knex('monitoring.realised_performance')
    .insert({
      list_date: perf.listDate,
      model_version_id: perf.modelVersionId,
      horizon_days: perf.horizonDays,
      measured_at: new Date(),
      n: perf.n,
      n_paid: perf.nPaid,
      pay_rate: perf.payRate,
      auc: finiteOrNull(perf.auc),
      deciles: JSON.stringify(perf.deciles),
    })
    .onConflict(['list_date', 'model_version_id'])
    .merge();
}

/** Realised performance, oldest list first (the order a chart reads it). */
export async function listRealisedPerformance(runner: Runner, limit = 120): Promise<(RealisedPerformance & { measuredAt: Date })[]> {
  const rows = await runner('monitoring.realised_performance').orderBy('list_date', 'desc').limit(limit);
  return rows.reverse().map((r: Record<string, unknown>) => ({
    listDate: isoDate(r.list_date) as string,
    modelVersionId: r.model_version_id as string,
    horizonDays: Number(r.horizon_days),
    measuredAt: new Date(r.measured_at as string),
    n: Number(r.n),
    nPaid: Number(r.n_paid),
    payRate: Number(r.pay_rate),
    auc: r.auc === null || r.auc === undefined ? null : Number(r.auc),
    deciles: json<RealisedPerformance['deciles']>(r.deciles),
  }));
}
