/**
 * The steps of the nightly and retrain DAGs, as plain functions of the pipeline resources: the
 * DAG files declare and wire them, these run them. Each returns a small JSON summary that the
 * orchestrator stores with the task.
 */
import type { Logger } from '../core/log';
import { addDays, type IsoDate } from '../core/ids';
import { NotFoundError } from '../core/errors';
import { extractSource, extractCallLog, cleanAll, runQualityChecks } from '../elt';
import { computeFeatureSnapshot, latestEventDate } from '../features';
import { buildAndPublishCallList } from '../ranking';
import { explainScores, scoreSnapshot } from './score-snapshot';
import { trainOnOffice } from './train-office';
import type { PipelineResources } from './resources';

/** The names of the configured sources: one extract task each. */
export function sourceNames(resources: PipelineResources): string[] {
  return resources.config.sources.map((s) => s.name);
}

/** Extracts one configured source into `raw.*`; files already loaded are skipped. */
export async function extractStep(resources: PipelineResources, sourceName: string, run: { runId: string; log: Logger }) {
  const source = resources.config.sources.find((s) => s.name === sourceName);
  if (!source) throw new NotFoundError(`no source named ${sourceName} in config/relance.yaml`);
  const reports = await extractSource(resources.db, source, run);
  return JSON.parse(JSON.stringify(reports));
}

/** Carries the calls logged in the call room since the last night into `raw.*` (relance's own call log). */
export async function callLogStep(resources: PipelineResources, run: { runId: string; log: Logger }) {
  return { ...(await extractCallLog(resources.db, run)) };
}

/** Rebuilds `clean.*` from `raw.*`, then runs the quality checks (a failure stops the run). */
export async function cleanStep(resources: PipelineResources, run: { runId: string; asOf: IsoDate; log: Logger }) {
  const cleaned = await cleanAll(resources.db, run);
  const quality = await runQualityChecks(resources.db, resources.config.quality, { log: run.log });
  return JSON.parse(JSON.stringify({ cleaned, quality }));
}

/** Computes tonight's feature snapshot (current state, events before the list date). */
export async function featuresStep(resources: PipelineResources, run: { runId: string; listDate: IsoDate }) {
  const rows = await computeFeatureSnapshot(resources.db, { asOf: run.listDate, timeZone: resources.config.timezone, current: true, runId: run.runId });
  return { listDate: run.listDate, debtors: rows };
}

/** Scores tonight's snapshot with the champion model. */
export async function scoreStep(resources: PipelineResources, run: { runId: string; listDate: IsoDate }) {
  const report = await scoreSnapshot(resources.db, { asOf: run.listDate, runId: run.runId });
  return { ...report };
}

/**
 * Ranks, fits to capacity, applies compliance and the holdout, explains the scores of the debtors
 * shown (listed, and the heads of the deferred and the control group), and publishes the list.
 */
export async function publishStep(resources: PipelineResources, run: { runId: string; listDate: IsoDate; log: Logger }) {
  const explain = (debtorIds: readonly string[]) => explainScores(resources.db.knex, { asOf: run.listDate, debtorIds });
  const report = await buildAndPublishCallList(resources.db, { listDate: run.listDate, runId: run.runId, config: resources.config, log: run.log, explain });
  return JSON.parse(JSON.stringify(report));
}

/**
 * Trains the configured model kinds and proposes the best as challenger. The history ends at the
 * run's date or the day after the last loaded event, whichever comes first: a weekly run's date
 * may lie days after the data it has.
 */
export async function trainStep(resources: PipelineResources, run: { runId: string; asOf: IsoDate; log: Logger }) {
  const latest = await latestEventDate(resources.db);
  const asOf = latest && addDays(latest, 1) < run.asOf ? addDays(latest, 1) : run.asOf;
  const report = await trainOnOffice(resources, { asOf, trigger: run.runId, log: run.log });
  return {
    trainingRunId: report.trainingRunId,
    rows: report.rows,
    promoted: report.decision.promoted,
    reason: report.decision.reason,
    models: report.results.map((r) => ({ kind: r.kind, versionId: r.versionId, auc: r.metrics.auc, cost: r.metrics.cost })),
  };
}

export { driftStep, realisedPerformanceStep } from './monitoring-steps';
