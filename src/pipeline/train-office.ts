import { digest, newId, type IsoDate } from '../core/ids';
import { ValidationError } from '../core/errors';
import type { Logger } from '../core/log';
import type { Dataset } from '../model/classifier';
import { costCurve, liftTable, type CostModel } from '../model/metrics';
import { fitCalibrator, reliabilityCurve, type CalibratorState } from '../model/calibration';
import { withCalibration } from '../model/calibrated-model';
import { calibratorOfPredictions, foldSplits, groupFolds, predictHeldRows } from '../model/out-of-fold-calibration';
import { fitSideBySide, type FitJob, type FitResult } from '../model/fit-side-by-side';
import type { ModelKind, ModelKindOptions } from '../model/model-kinds';
import { finishTrainingRun, proposeChallenger, registerModelVersion, startTrainingRun, type HoldoutComparison, type PromotionDecision } from '../model/registry';
import { computeFeatureSnapshot, computeLabels, latestEventDate, readTrainingSets, trainingSnapshotDates } from '../features';
import { championOnSameHoldout, judgeOnHoldout, type HoldoutResult } from './holdout-evaluation';
import type { PipelineResources } from './resources';

/** Holdout metrics of one model kind. */
export interface KindResult {
  kind: ModelKind;
  versionId: string;
  /** Seconds of this kind's fits (the model and its out-of-fold refits), wherever they ran: side by side, they overlap. */
  fitSeconds: number;
  threshold: number;
  /** Calibration fitted on out-of-fold predictions of the training rows. */
  calibration: string;
  metrics: HoldoutResult['metrics'];
}

/** What one office training did. */
export interface OfficeTrainingReport {
  trainingRunId: string;
  snapshotDates: IsoDate[];
  rows: number;
  positiveRate: number;
  results: KindResult[];
  /** The best new model and the champion, both measured on this training's holdout. */
  comparison?: HoldoutComparison;
  decision: PromotionDecision;
  /** The fit, validation and test sets, when asked (`keepSets`): the uplift model learns from them too. */
  sets?: Awaited<ReturnType<typeof readTrainingSets>>;
}

/**
 * Rows of the test snapshot (the newest, closest to tonight) kept as the drift reference of a model
 * version; global importance (mean |contribution|) is measured on the same rows.
 */
const REFERENCE_ROWS = 5000;

function curves(y: Uint8Array, p: Float64Array, costs: CostModel) {
  const cost = costCurve(y, p, costs);
  const step = Math.max(1, Math.floor(cost.length / 200));
  return {
    costCurve: cost.filter((_, i) => i % step === 0).map((c) => ({ threshold: Number.isFinite(c.threshold) ? c.threshold : 1, tpr: c.tpr, fpr: c.fpr, cost: c.cost })),
    reliability: reliabilityCurve(y, p, 10, 'quantile'),
    lift: liftTable(y, p, 10),
  };
}

/** At most `max` rows of the dataset, evenly spaced (deterministic). */
function sampleRows(dataset: Dataset, max: number): Dataset {
  const step = Math.max(1, Math.ceil(dataset.nRows / max));
  const rows: number[] = [];
  for (let i = 0; i < dataset.nRows; i += step) rows.push(i);
  const data = new Float64Array(rows.length * dataset.nCols);
  rows.forEach((r, k) => data.set(dataset.data.subarray(r * dataset.nCols, (r + 1) * dataset.nCols), k * dataset.nCols));
  return { nRows: rows.length, nCols: dataset.nCols, data, featureNames: dataset.featureNames, y: Uint8Array.from(rows, (r) => dataset.y[r] as number) };
}

function referenceSample(sample: Dataset): { featureNames: readonly string[]; rows: (number | null)[][] } {
  const rows: (number | null)[][] = [];
  for (let i = 0; i < sample.nRows; i++) {
    rows.push(Array.from(sample.data.subarray(i * sample.nCols, (i + 1) * sample.nCols), (v) => (Number.isNaN(v) ? null : v)));
  }
  return { featureNames: sample.featureNames, rows };
}

/**
 * Trains every configured model kind on the office's history: monthly point-in-time snapshots,
 * the newest one held out as the test, the one before it as validation (early stopping and the
 * business-cost threshold), older ones for fitting. Each model is calibrated (config
 * `scoring.calibration`) on out-of-fold predictions of the fitting rows, folded by debtor. Each
 * kind is registered as a version; the best on the test (lowest cost, then highest AUC) is
 * proposed as challenger and promoted to champion only if it beats the current champion on both
 * cost and AUC, the champion being scored on the same test snapshot with the same threshold rule.
 */
export async function trainOnOffice(resources: PipelineResources, options: { asOf?: IsoDate; trigger: string; log?: Logger; modelOptions?: ModelKindOptions; keepSets?: boolean }): Promise<OfficeTrainingReport> {
  const { db, config } = resources;
  const log = options.log ?? resources.log;
  const horizon = config.scoring.horizonDays;
  const dataEnd = options.asOf ?? (await latestEventDate(db));
  if (!dataEnd) throw new ValidationError('no history in clean.* to train on: load an export first');
  const dates = trainingSnapshotDates(dataEnd, horizon, config.scoring.trainingSnapshots);
  for (const asOf of dates) {
    const rows = await computeFeatureSnapshot(db, { asOf, timeZone: config.timezone, current: false });
    const { positives } = await computeLabels(db, { asOf, horizonDays: horizon, minAmount: config.scoring.minPaidAmount });
    log.info('training snapshot', { asOf, rows, positives });
  }
  const testDate = dates[dates.length - 1] as IsoDate;
  const validDate = dates[dates.length - 2] as IsoDate;
  const sets = await readTrainingSets(db.knex, { dates, horizonDays: horizon, maxFitRows: config.scoring.maxFitRows, maxHoldoutRows: config.scoring.maxHoldoutRows });
  const { fit: fitSet, valid: validSet, test: testSet } = sets;
  if (fitSet.nRows === 0 || validSet.nRows === 0 || testSet.nRows === 0) {
    throw new ValidationError(`not enough history before ${dataEnd}: ${fitSet.nRows} rows to fit (before ${validDate}), ${validSet.nRows} to validate, ${testSet.nRows} to test (${testDate})`);
  }
  if (fitSet.nRows < sets.fitRowsAvailable) log.info('fit rows sampled', { kept: fitSet.nRows, available: sets.fitRowsAvailable });
  if (validSet.nRows < sets.holdoutRowsAvailable.valid || testSet.nRows < sets.holdoutRowsAvailable.test) {
    log.info('holdout rows sampled', { validation: validSet.nRows, validationAvailable: sets.holdoutRowsAvailable.valid, test: testSet.nRows, testAvailable: sets.holdoutRowsAvailable.test });
  }
  const fitDebtors = fitSet.debtorIds;
  const reference = sampleRows(testSet, REFERENCE_ROWS);
  const costs: CostModel = { falseNegativeCost: config.scoring.costs.missedPayer, falsePositiveCost: config.scoring.costs.wastedCall };
  const calibration = config.scoring.calibration;

  const trainingRunId = `train-${dataEnd}-${newId().slice(0, 8)}`;
  const dataDigest = [fitSet, validSet, testSet].map((d) => digest(Buffer.from(d.data.buffer)) + digest(Buffer.from(d.y.buffer))).join('');
  await startTrainingRun(db.knex, { trainingRunId, trigger: options.trigger, dataDigest, params: { snapshotDates: dates, testDate, validDate, kinds: config.scoring.models, costs, calibration, horizonDays: horizon, modelOptions: options.modelOptions ?? {} } });
  try {
    const results: KindResult[] = [];
    const artefacts: Record<string, unknown> = {};
    // Calibration learns from predictions of rows the predicting model was not fitted on: the
    // validation snapshot, or the training rows out of fold (folds by debtor), each fold's model
    // refitted without it. Every kind's fit and refits are independent: they run side by side.
    const splits = calibration.on === 'validation' || calibration.method === 'none' ? [] : foldSplits(groupFolds(fitDebtors, calibration.folds, 42));
    const kinds = config.scoring.models;
    const jobs: FitJob[] = kinds.flatMap((kind) => [
      { kind, ...(options.modelOptions ? { options: options.modelOptions } : {}), train: fitSet, validation: validSet, seed: 42 },
      ...splits.map((split) => ({ kind, ...(options.modelOptions ? { options: options.modelOptions } : {}), train: fitSet, without: split, validation: validSet, seed: 42 })),
    ]);
    const fitted = await fitSideBySide(jobs);
    for (const [k, kind] of kinds.entries()) {
      const own = fitted.slice(k * (1 + splits.length), (k + 1) * (1 + splits.length));
      const base = (own[0] as FitResult).model;
      let calibrator: CalibratorState;
      if (calibration.method === 'none') calibrator = { kind: 'none' };
      else if (calibration.on === 'validation') calibrator = fitCalibrator(calibration.method, base.predictProba(validSet), validSet.y);
      else {
        const oof = new Float64Array(fitSet.nRows).fill(NaN);
        splits.forEach((split, f) => predictHeldRows((own[f + 1] as FitResult).model, fitSet, split, oof));
        calibrator = calibratorOfPredictions(calibration.method, oof, fitSet.y);
      }
      // The seconds of this kind's fits, wherever they ran.
      const fitSeconds = own.reduce((sum, r) => sum + r.seconds, 0);
      const model = withCalibration(base, calibrator);
      const { threshold, p, metrics } = judgeOnHoldout(model, validSet, testSet, costs);
      const versionId = `${kind}-${dataEnd}-${newId().slice(0, 6)}`;
      await registerModelVersion(db.knex, { versionId, kind, trainingRunId, featureNames: [...model.featureNames], model: model.toJSON(), threshold, metrics, reference: referenceSample(reference), holdoutAsOf: testDate });
      // TreeSHAP of the reference rows over every thread: the same contributions as on one.
      const { contributions } = await model.explainBatch(reference);
      artefacts[kind] = { ...curves(testSet.y, p, costs), importance: model.importance(reference, contributions).slice().sort((a, b) => b.meanAbsContribution - a.meanAbsContribution) };
      results.push({ kind, versionId, fitSeconds, threshold, calibration: calibrator.kind, metrics });
      log.info('model trained', { kind, versionId, auc: metrics.auc.toFixed(4), cost: metrics.cost.toFixed(4), ece: metrics.ece.toFixed(4), calibration: calibrator.kind, fitSeconds: fitSeconds.toFixed(2) });
    }
    const best = [...results].sort((a, b) => a.metrics.cost - b.metrics.cost || b.metrics.auc - a.metrics.auc)[0] as KindResult;
    // The champion is scored on this training's own validation and holdout snapshots, with the same threshold rule.
    const comparison = await championOnSameHoldout(db.knex, { validation: validSet, holdout: testSet, holdoutAsOf: testDate }, best.metrics, costs);
    const decision = await proposeChallenger(db.knex, best.versionId, comparison);
    log.info(decision.promoted ? 'champion promoted' : 'champion kept', { reason: decision.reason });
    await finishTrainingRun(db.knex, trainingRunId, { metrics: Object.fromEntries(results.map((r) => [r.kind, { ...r.metrics, threshold: r.threshold, calibration: r.calibration, fitSeconds: r.fitSeconds, versionId: r.versionId }])), artefacts: { ...artefacts, decision, comparison } });
    const rows = fitSet.nRows + validSet.nRows + testSet.nRows;
    const positives = [fitSet, validSet, testSet].reduce((sum, d) => sum + d.y.reduce((s, v) => s + v, 0), 0);
    return { trainingRunId, snapshotDates: dates, rows, positiveRate: rows ? positives / rows : 0, results, ...(comparison ? { comparison } : {}), decision, ...(options.keepSets ? { sets } : {}) };
  } catch (error) {
    await finishTrainingRun(db.knex, trainingRunId, { error: (error as Error).message });
    throw error;
  }
}
