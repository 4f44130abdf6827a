/**
 * Learns the effect of a call from the office's point-in-time snapshots and stores it in
 * `scoring.uplift_models` (docs/uplift.md): a T-learner on the GBDT, treatment "called (any
 * attempt) in the `treatmentDays` from the snapshot date", outcome "paid within the horizon"
 * (features.labels). Fitted on every training snapshot but the newest, judged on the newest (a
 * later time window than any it was fitted on): observed Qini and pay rates by decile, called
 * against not called. Each arm is capped at {@link UPLIFT_MAX_ARM_ROWS} rows so that the retrain
 * stays cheap.
 */
import { newId, type IsoDate } from '../core/ids';
import { ValidationError } from '../core/errors';
import type { Logger } from '../core/log';
import { runSql } from '../db';
import { computeFeatureSnapshot, computeLabels, latestEventDate, toModelFrame, trainingSnapshotDates, type FeatureRow } from '../features';
import { GbdtClassifier, type GbdtOptions } from '../model/gbdt';
import type { Dataset } from '../model/classifier';
import { fitTLearner } from '../model/uplift/t-learner';
import { predictUpliftScores, serializeUpliftModel, upliftModelOf, type UpliftModel } from '../model/uplift/uplift-model';
import { observedQini, observedUpliftByDecile } from '../model/uplift/uplift-metrics';
import { registerUpliftModel } from '../model/uplift/uplift-registry';
import type { PipelineResources } from './resources';

/** Days from the snapshot date during which a call counts as the treatment (1–2 days leave too few treated rows: bench/ranking/RESULTS.md). */
export const UPLIFT_TREATMENT_DAYS = 7;
/** Most rows fitted per arm (evenly spaced over the snapshots, deterministic). */
export const UPLIFT_MAX_ARM_ROWS = 40_000;
/** The arms' GBDT: small trees, many rows per leaf (the effect is a small difference of two noisy fits). */
export const UPLIFT_GBDT: GbdtOptions = { numRounds: 150, learningRate: 0.05, numLeaves: 7, minDataInLeaf: 200 };

/** What one uplift training did. */
export interface UpliftTrainingReport {
  versionId: string;
  fitSnapshots: IsoDate[];
  evaluationAsOf: IsoDate;
  rows: { treated: number; control: number };
  /** Observed Qini of the learned ordering on the evaluation snapshot. */
  qini: number;
  fitSeconds: number;
}

interface Labelled {
  frame: ReturnType<typeof toModelFrame>;
  y: Uint8Array;
  treated: Uint8Array;
}

async function readSnapshot(resources: PipelineResources, asOf: IsoDate, horizonDays: number, treatmentDays: number): Promise<Labelled> {
  const { rows } = await runSql<FeatureRow & { label: boolean; treated: boolean }>(resources.db.knex, 'scoring/uplift-training-rows', { as_of: asOf, horizon_days: horizonDays, treatment_days: treatmentDays, tz: resources.config.timezone });
  return { frame: toModelFrame(rows), y: Uint8Array.from(rows, (r) => (r.label ? 1 : 0)), treated: Uint8Array.from(rows, (r) => (r.treated ? 1 : 0)) };
}

/** Rows of both arms, each arm thinned evenly to at most `maxArm` rows. */
function capArms(parts: readonly Labelled[], maxArm: number): { ds: Dataset; treated: Uint8Array } {
  const nCols = parts[0]?.frame.nCols ?? 0;
  const featureNames = parts[0]?.frame.featureNames ?? [];
  const count = [0, 0];
  for (const p of parts) for (const t of p.treated) count[t ? 1 : 0]! += 1;
  const step = count.map((c) => Math.max(1, c / maxArm));
  const seen = [0, 0];
  const next = [0, 0];
  const keep: [Labelled, number][] = [];
  for (const p of parts) {
    for (let i = 0; i < p.frame.nRows; i++) {
      const arm = p.treated[i] ? 1 : 0;
      if (seen[arm]! >= next[arm]!) {
        keep.push([p, i]);
        next[arm]! += step[arm]!;
      }
      seen[arm]! += 1;
    }
  }
  const data = new Float64Array(keep.length * nCols);
  const y = new Uint8Array(keep.length);
  const treated = new Uint8Array(keep.length);
  keep.forEach(([p, i], k) => {
    data.set(p.frame.data.subarray(i * nCols, (i + 1) * nCols), k * nCols);
    y[k] = p.y[i] as number;
    treated[k] = p.treated[i] as number;
  });
  return { ds: { nRows: keep.length, nCols, data, y, featureNames }, treated };
}

/**
 * Fits, evaluates and stores the uplift model of the office's history up to `asOf` (the same
 * snapshot dates as the propensity training; a snapshot missing from features.* is computed).
 */
export async function trainUpliftOnOffice(resources: PipelineResources, options: { asOf?: IsoDate; trigger: string; log?: Logger; maxArmRows?: number; gbdt?: GbdtOptions }): Promise<UpliftTrainingReport> {
  const { db, config } = resources;
  const log = options.log ?? resources.log;
  const horizon = config.scoring.horizonDays;
  const dataEnd = options.asOf ?? (await latestEventDate(db));
  if (!dataEnd) throw new ValidationError('no history in clean.* to learn the effect of a call from: load an export first');
  const dates = trainingSnapshotDates(dataEnd, horizon, config.scoring.trainingSnapshots);
  const started = process.hrtime.bigint();
  const parts: Labelled[] = [];
  for (const asOf of dates) {
    let part = await readSnapshot(resources, asOf, horizon, UPLIFT_TREATMENT_DAYS);
    if (part.frame.nRows === 0) {
      await computeFeatureSnapshot(db, { asOf, timeZone: config.timezone, current: false });
      await computeLabels(db, { asOf, horizonDays: horizon, minAmount: config.scoring.minPaidAmount });
      part = await readSnapshot(resources, asOf, horizon, UPLIFT_TREATMENT_DAYS);
    }
    parts.push(part);
  }
  const evaluation = parts.pop() as Labelled;
  const evaluationAsOf = dates[dates.length - 1] as IsoDate;
  const fitSnapshots = dates.slice(0, -1);
  const { ds, treated } = capArms(parts, options.maxArmRows ?? UPLIFT_MAX_ARM_ROWS);
  const learner = await fitTLearner(ds, treated, new GbdtClassifier(options.gbdt ?? UPLIFT_GBDT), 42);
  const model: UpliftModel = upliftModelOf(learner, ds);
  const fitSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  const scores = predictUpliftScores(model, evaluation.frame);
  let calledRows = 0;
  for (const t of evaluation.treated) calledRows += t;
  const qini = observedQini(scores.uplift, evaluation.y, evaluation.treated);
  const deciles = observedUpliftByDecile(scores.uplift, evaluation.y, evaluation.treated);
  const versionId = `uplift-${dataEnd}-${newId().slice(0, 6)}`;
  await registerUpliftModel(db.knex, {
    versionId,
    trainingRunId: options.trigger,
    kind: model.kind,
    featureNames: [...model.featureNames],
    model: serializeUpliftModel(model),
    treatmentDays: UPLIFT_TREATMENT_DAYS,
    horizonDays: horizon,
    fitSnapshots,
    fitRows: learner.rows,
    evaluationAsOf,
    evaluation: { rows: evaluation.frame.nRows, called: calledRows, qini, deciles, meanUplift: model.meanUplift, shrink: model.shrink },
    fitSeconds,
  });
  log.info('uplift model trained', { versionId, treated: learner.rows.treated, control: learner.rows.control, evaluationAsOf, qini: qini.toFixed(4), fitSeconds: fitSeconds.toFixed(2) });
  return { versionId, fitSnapshots, evaluationAsOf, rows: learner.rows, qini, fitSeconds };
}
