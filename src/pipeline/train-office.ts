import { digest, newId, type IsoDate } from '../core/ids';
import { ValidationError } from '../core/errors';
import type { Logger } from '../core/log';
import type { Dataset, FittedModel } from '../model/classifier';
import { auc, averagePrecision, brier, costAt, costCurve, ks, liftTable, logLoss, minimumCost, type CostModel } from '../model/metrics';
import { reliabilityCurve } from '../model/calibration';
import { classifierFor, type ModelKind, type ModelKindOptions } from '../model/model-kinds';
import { finishTrainingRun, proposeChallenger, registerModelVersion, startTrainingRun, type PromotionDecision } from '../model/registry';
import { computeFeatureSnapshot, computeLabels, latestEventDate, readTrainingSets, trainingSnapshotDates } from '../features';
import type { PipelineResources } from './resources';

/** Holdout metrics of one model kind. */
export interface KindResult {
  kind: ModelKind;
  versionId: string;
  fitSeconds: number;
  threshold: number;
  metrics: { auc: number; cost: number; prAuc: number; brier: number; logLoss: number; ks: number; rows: number; positives: number };
}

/** What one office training did. */
export interface OfficeTrainingReport {
  trainingRunId: string;
  snapshotDates: IsoDate[];
  rows: number;
  positiveRate: number;
  results: KindResult[];
  decision: PromotionDecision;
}

/**
 * Rows of the test snapshot (the newest, closest to tonight) kept as the drift reference of a model
 * version; global importance (mean |contribution|) is measured on the same rows.
 */
const REFERENCE_ROWS = 5000;

function evaluate(model: FittedModel, test: Dataset, threshold: number, costs: CostModel) {
  const p = model.predictProba(test);
  const positives = test.y.reduce((s, v) => s + v, 0);
  return {
    p,
    metrics: {
      auc: auc(test.y, p),
      cost: costAt(test.y, p, threshold, costs),
      prAuc: averagePrecision(test.y, p),
      brier: brier(test.y, p),
      logLoss: logLoss(test.y, p),
      ks: ks(test.y, p),
      rows: test.nRows,
      positives,
    },
  };
}

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
 * business-cost threshold), older ones for fitting. Each kind is registered as a version; the best
 * on the test (lowest cost, then highest AUC) is proposed as challenger and promoted to champion
 * only if it beats the current champion on both cost and AUC.
 */
export async function trainOnOffice(resources: PipelineResources, options: { asOf?: IsoDate; trigger: string; log?: Logger; modelOptions?: ModelKindOptions }): Promise<OfficeTrainingReport> {
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
  const sets = await readTrainingSets(db.knex, { dates, horizonDays: horizon, maxFitRows: config.scoring.maxFitRows });
  const { fit: fitSet, valid: validSet, test: testSet } = sets;
  if (fitSet.nRows === 0 || validSet.nRows === 0 || testSet.nRows === 0) {
    throw new ValidationError(`not enough history before ${dataEnd}: ${fitSet.nRows} rows to fit (before ${validDate}), ${validSet.nRows} to validate, ${testSet.nRows} to test (${testDate})`);
  }
  if (fitSet.nRows < sets.fitRowsAvailable) log.info('fit rows sampled', { kept: fitSet.nRows, available: sets.fitRowsAvailable });
  const reference = sampleRows(testSet, REFERENCE_ROWS);
  const costs: CostModel = { falseNegativeCost: config.scoring.costs.missedPayer, falsePositiveCost: config.scoring.costs.wastedCall };

  const trainingRunId = `train-${dataEnd}-${newId().slice(0, 8)}`;
  const dataDigest = [fitSet, validSet, testSet].map((d) => digest(Buffer.from(d.data.buffer)) + digest(Buffer.from(d.y.buffer))).join('');
  await startTrainingRun(db.knex, { trainingRunId, trigger: options.trigger, dataDigest, params: { snapshotDates: dates, testDate, validDate, kinds: config.scoring.models, costs, horizonDays: horizon, modelOptions: options.modelOptions ?? {} } });
  try {
    const results: KindResult[] = [];
    const artefacts: Record<string, unknown> = {};
    for (const kind of config.scoring.models) {
      const started = process.hrtime.bigint();
      const model = await classifierFor(kind, options.modelOptions).fit(fitSet, { validation: validSet, seed: 42 });
      const fitSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The decision threshold is chosen on the validation snapshot, never on the test snapshot.
      const threshold = minimumCost(validSet.y, model.predictProba(validSet), costs).threshold;
      const safeThreshold = Number.isFinite(threshold) ? threshold : 1;
      const { p, metrics } = evaluate(model, testSet, safeThreshold, costs);
      const versionId = `${kind}-${dataEnd}-${newId().slice(0, 6)}`;
      await registerModelVersion(db.knex, { versionId, kind, trainingRunId, featureNames: [...sets.featureNames], model: model.toJSON(), threshold: safeThreshold, metrics, reference: referenceSample(reference) });
      artefacts[kind] = { ...curves(testSet.y, p, costs), importance: model.importance(reference).slice().sort((a, b) => b.meanAbsContribution - a.meanAbsContribution) };
      results.push({ kind, versionId, fitSeconds, threshold: safeThreshold, metrics });
      log.info('model trained', { kind, versionId, auc: metrics.auc.toFixed(4), cost: metrics.cost.toFixed(4), fitSeconds: fitSeconds.toFixed(2) });
    }
    const best = [...results].sort((a, b) => a.metrics.cost - b.metrics.cost || b.metrics.auc - a.metrics.auc)[0] as KindResult;
    const decision = await proposeChallenger(db.knex, best.versionId);
    log.info(decision.promoted ? 'champion promoted' : 'champion kept', { reason: decision.reason });
    await finishTrainingRun(db.knex, trainingRunId, { metrics: Object.fromEntries(results.map((r) => [r.kind, { ...r.metrics, threshold: r.threshold, fitSeconds: r.fitSeconds, versionId: r.versionId }])), artefacts: { ...artefacts, decision } });
    const rows = fitSet.nRows + validSet.nRows + testSet.nRows;
    const positives = [fitSet, validSet, testSet].reduce((sum, d) => sum + d.y.reduce((s, v) => s + v, 0), 0);
    return { trainingRunId, snapshotDates: dates, rows, positiveRate: rows ? positives / rows : 0, results, decision };
  } catch (error) {
    await finishTrainingRun(db.knex, trainingRunId, { error: (error as Error).message });
    throw error;
  }
}
