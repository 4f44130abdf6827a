/**
 * The steps of the nightly and retrain DAGs, as plain functions of the pipeline resources: the
 * DAG files declare and wire them, these run them. Each returns a small JSON summary that the
 * orchestrator stores with the task.
 */
import type { Logger } from '../core/log';
import { addDays, type IsoDate } from '../core/ids';
import { fromLocal, toLocal } from '../dag';
import { NotFoundError, isErrorNamed } from '../core/errors';
import { extractSource, extractCallLog, cleanAll, runQualityChecks } from '../elt';
import { computeFeatureSnapshot, featurePhrasebook, latestEventDate } from '../features';
import { buildAndPublishCallList, type ExplainScores } from '../ranking';
import { explainScores, scoreSnapshot } from './score-snapshot';
import { trainOnOffice } from './train-office';
import { trainUpliftOnOffice } from './train-uplift';
import { holdBackList } from './hold-back-list';
import { raiseAlert } from '../monitoring/alerts';
import type { PipelineResources } from './resources';

/** The names of the configured sources: one extract task each. */
export function sourceNames(resources: PipelineResources): string[] {
  return resources.config.sources.map((s) => s.name);
}

/**
 * Until when a missing export of a source is worth waiting for: today's `waitForExportUntil` in
 * the office time zone, if the source's freshness sets one.
 */
export function exportWaitUntil(freshness: { waitForExportUntil?: string } | undefined, timeZone: string, now: Date): Date | undefined {
  if (!freshness?.waitForExportUntil) return undefined;
  const [hour, minute] = freshness.waitForExportUntil.split(':').map(Number) as [number, number];
  const today = toLocal(now, timeZone);
  return fromLocal({ year: today.year, month: today.month, day: today.day, hour, minute }, timeZone);
}

/** Extracts one configured source into `raw.*`; files already loaded are skipped. Returns the source's name and load reports. */
export async function extractStep(resources: PipelineResources, sourceName: string, run: { runId: string; log: Logger }) {
  const source = resources.config.sources.find((s) => s.name === sourceName);
  if (!source) throw new NotFoundError(`no source named ${sourceName} in config/relance.yaml`);
  const waitUntil = exportWaitUntil(source.freshness, resources.config.timezone, resources.clock.now());
  const reports = await extractSource(resources.db, source, { ...run, ...(waitUntil ? { waitUntil } : {}) });
  return JSON.parse(JSON.stringify({ source: source.name, reports }));
}

/** Carries the calls logged in the call room since the last night into `raw.*` (relance's own call log). */
export async function callLogStep(resources: PipelineResources, run: { runId: string; log: Logger }) {
  return { ...(await extractCallLog(resources.db, run)) };
}

/**
 * Rebuilds `clean.*` from `raw.*`, then runs the quality checks (a failure stops the run). With
 * `holdBack` (the nightly DAG), a failed check also marks the published list stale and alerts.
 */
export async function cleanStep(resources: PipelineResources, run: { runId: string; asOf: IsoDate; log: Logger; holdBack?: boolean }) {
  const cleaned = await cleanAll(resources.db, run);
  try {
    const quality = await runQualityChecks(resources.db, resources.config.quality, { log: run.log });
    return JSON.parse(JSON.stringify({ cleaned, quality }));
  } catch (error) {
    if (run.holdBack && isErrorNamed(error, 'QualityCheckError')) {
      await holdBackList(resources, { runId: run.runId, listDate: run.asOf, kind: 'quality', subject: 'quality', reason: (error as Error).message, details: {}, log: run.log });
    }
    throw error;
  }
}

/** Computes tonight's feature snapshot (current state, events before the list date). */
export async function featuresStep(resources: PipelineResources, run: { runId: string; listDate: IsoDate }) {
  const rows = await computeFeatureSnapshot(resources.db, { asOf: run.listDate, timeZone: resources.config.timezone, current: true, runId: run.runId });
  return { listDate: run.listDate, debtors: rows };
}

/** Scores tonight's snapshot with the champion model. */
export async function scoreStep(resources: PipelineResources, run: { runId: string; listDate: IsoDate }) {
  const report = await scoreSnapshot(resources.db, { asOf: run.listDate, runId: run.runId, ranking: resources.config.ranking });
  return { ...report };
}

/**
 * Ranks, fits to capacity, applies compliance and the holdout, explains the scores of the debtors
 * shown (listed, and the heads of the deferred and the control group), and publishes the list.
 */
export async function publishStep(resources: PipelineResources, run: { runId: string; listDate: IsoDate; log: Logger }) {
  const explain: ExplainScores = (debtorIds, runner) => explainScores(runner ?? resources.db.knex, { asOf: run.listDate, debtorIds });
  const report = await buildAndPublishCallList(resources.db, { listDate: run.listDate, runId: run.runId, config: resources.config, log: run.log, explain, phrasebook: featurePhrasebook });
  if (report.note) {
    // Configured to rank by what a call adds, and could not: the team must know the list is ordered otherwise.
    await raiseAlert(
      resources.db,
      { kind: 'ranking_objective_fallback', severity: 'warning', subject: run.listDate, message: report.note.en, details: { listDate: run.listDate, objective: report.objective, objectiveConfigured: report.objectiveConfigured, fr: report.note.fr } },
      resources.config,
      { log: run.log },
    );
  }
  return JSON.parse(JSON.stringify(report));
}

/**
 * Trains the configured model kinds and proposes the best as challenger, then learns the uplift
 * model (the effect of a call, src/pipeline/train-uplift.ts) from the same snapshots, still in
 * memory; a failure of the latter is logged and reported, never fails the propensity training. The history ends at the run's date or the day after the last loaded event, whichever
 * comes first: a weekly run's date may lie days after the data it has.
 */
export async function trainStep(resources: PipelineResources, run: { runId: string; asOf: IsoDate; log: Logger }) {
  const latest = await latestEventDate(resources.db);
  const asOf = latest && addDays(latest, 1) < run.asOf ? addDays(latest, 1) : run.asOf;
  const report = await trainOnOffice(resources, { asOf, trigger: run.runId, log: run.log, keepSets: true });
  // The propensity models stand on their own: an uplift model that cannot be learned (too little
  // call history) leaves the previous one in use, or the nightly's fallback, and says why.
  const uplift = await trainUpliftOnOffice(resources, { asOf, trigger: run.runId, log: run.log, ...(report.sets ? { sets: report.sets } : {}) }).then(
    (u) => ({ versionId: u.versionId, rows: u.rows, qini: u.qini, fitSeconds: u.fitSeconds }),
    (error: unknown) => {
      run.log.warn('uplift model not trained', { error: (error as Error).message });
      return { error: (error as Error).message };
    },
  );
  return {
    trainingRunId: report.trainingRunId,
    uplift,
    rows: report.rows,
    promoted: report.decision.promoted,
    reason: report.decision.reason,
    models: report.results.map((r) => ({ kind: r.kind, versionId: r.versionId, auc: r.metrics.auc, cost: r.metrics.cost })),
  };
}

export { driftStep, realisedPerformanceStep } from './monitoring-steps';
export { realisedUpliftStep } from './realised-uplift-step';
export { freshnessStep } from './freshness-step';
