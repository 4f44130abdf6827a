/**
 * Learns the effect of a call from the office's point-in-time snapshots and stores it in
 * `scoring.uplift_models` (docs/uplift.md): the structural model of src/model/uplift/uplift-model.ts,
 * three GBDTs — P(promise | right-party contact in the horizon) on the snapshots followed by a
 * contact, P(kept | promise) on those followed by a promise on the phone, and P(pay in the horizon)
 * on those not followed by a call in the treatment window (the control arm). Fitted on every
 * training snapshot but the newest, judged on the newest (a later time window than any it was
 * fitted on): AUC of the promise and kept models on that snapshot's contacts and promises, and the
 * observed Qini and pay rates by decile, called against not called. The control arm is capped at
 * {@link UPLIFT_MAX_ARM_ROWS} rows so that the retrain stays cheap.
 */
import { newId, type IsoDate } from '../core/ids';
import { ValidationError } from '../core/errors';
import type { Logger } from '../core/log';
import { readSql, runSql } from '../db';
import { computeFeatureSnapshot, computeLabels, latestEventDate, toModelFrame, trainingSnapshotDates, type FeatureRow, type LabelledMatrix, type TrainingSets } from '../features';
import type { GbdtOptions } from '../model/gbdt';
import { fitSideBySide, type FitJob } from '../model/fit-side-by-side';
import type { Dataset, FittedModel } from '../model/classifier';
import { auc } from '../model/metrics';
import { predictUpliftScores, serializeUpliftModel, type UpliftModel } from '../model/uplift/uplift-model';
import { observedQini, observedUpliftByDecile } from '../model/uplift/uplift-metrics';
import { registerUpliftModel } from '../model/uplift/uplift-registry';
import type { PipelineResources } from './resources';

/** Days from the snapshot date during which a call counts as the treatment (1–2 days leave too few treated rows: bench/ranking/RESULTS.md). */
export const UPLIFT_TREATMENT_DAYS = 7;
/** The newest training snapshots the uplift model reads (the last one judges it), at most `scoring.trainingSnapshots`. */
export const UPLIFT_SNAPSHOTS = 12;
/** Most rows the control arm is fitted on (evenly spaced over the snapshots, deterministic). */
export const UPLIFT_MAX_ARM_ROWS = 30_000;
/** The three GBDTs: small trees, many rows per leaf, a fixed number of rounds (no validation set to stop on). */
export const UPLIFT_GBDT: GbdtOptions = { numRounds: 150, learningRate: 0.05, numLeaves: 7, minDataInLeaf: 100 };

/** What one uplift training did. */
export interface UpliftTrainingReport {
  versionId: string;
  fitSnapshots: IsoDate[];
  evaluationAsOf: IsoDate;
  rows: { treated: number; control: number; contacted: number; promised: number };
  /** Observed Qini of the learned ordering on the evaluation snapshot. */
  qini: number;
  fitSeconds: number;
}

/** Rows of one or more snapshots and what followed each. */
interface Labelled {
  frame: { nRows: number; nCols: number; data: Float64Array; featureNames: readonly string[] };
  /** Paid within the horizon. */
  y: Uint8Array;
  /** Called in the treatment window. */
  treated: Uint8Array;
  /** A right-party contact in the horizon. */
  contacted: Uint8Array;
  /** A promise on the phone in the horizon. */
  promised: Uint8Array;
  /** A promise of the horizon kept. */
  kept: Uint8Array;
  /** Counts over the horizon: right-party contacts, promises on the phone, promises made, promises kept. */
  nContacts: Int32Array;
  nPhonePromises: Int32Array;
  nPromises: Int32Array;
  nKept: Int32Array;
}

async function readSnapshot(resources: PipelineResources, asOf: IsoDate, horizonDays: number, treatmentDays: number): Promise<Labelled> {
  const { rows } = await runSql<FeatureRow & { label: boolean; treated: boolean; contacted: boolean; promised: boolean; kept: boolean; n_contacts: number; n_phone_promises: number; n_promises: number; n_kept: number }>(resources.db.knex, 'scoring/uplift-training-rows', {
    as_of: asOf,
    horizon_days: horizonDays,
    treatment_days: treatmentDays,
    tz: resources.config.timezone,
  });
  const flag = (f: (r: (typeof rows)[number]) => boolean) => Uint8Array.from(rows, (r) => (f(r) ? 1 : 0));
  const count = (f: (r: (typeof rows)[number]) => number) => Int32Array.from(rows, (r) => Number(f(r)));
  return {
    frame: toModelFrame(rows),
    y: flag((r) => r.label),
    treated: flag((r) => r.treated),
    contacted: flag((r) => r.contacted),
    promised: flag((r) => r.promised),
    kept: flag((r) => r.kept),
    nContacts: count((r) => r.n_contacts),
    nPhonePromises: count((r) => Math.min(r.n_phone_promises, r.n_contacts)),
    nPromises: count((r) => r.n_promises),
    nKept: count((r) => Math.min(r.n_kept, r.n_promises)),
  };
}

/** What followed one snapshot's debtors (`sql/scoring/uplift-window-outcomes.sql`), by debtor. */
type WindowOutcome = { treated: boolean; n_contacts: number; n_phone_promises: number; n_promises: number; n_kept: number };

/**
 * A labelled matrix already in memory (the propensity training's sets) with what followed each row,
 * read per snapshot date without reading the features again.
 */
async function labelMatrix(resources: PipelineResources, m: LabelledMatrix, horizonDays: number, treatmentDays: number): Promise<Labelled> {
  const dates = m.asOf ?? [];
  if (dates.length !== m.nRows) throw new ValidationError('uplift model: the training rows carry no snapshot dates');
  const n = m.nRows;
  const out: Labelled = {
    frame: { nRows: n, nCols: m.nCols, data: m.data, featureNames: m.featureNames },
    y: m.y,
    treated: new Uint8Array(n),
    contacted: new Uint8Array(n),
    promised: new Uint8Array(n),
    kept: new Uint8Array(n),
    nContacts: new Int32Array(n),
    nPhonePromises: new Int32Array(n),
    nPromises: new Int32Array(n),
    nKept: new Int32Array(n),
  };
  // One snapshot's outcomes in memory at a time: at a million debtors, all of them at once weigh a gigabyte.
  for (const d of new Set(dates)) {
    const rows = await readSql<WindowOutcome & { debtor_id: string }>(resources.db.knex, 'scoring/uplift-window-outcomes', { as_of: d, horizon_days: horizonDays, treatment_days: treatmentDays, tz: resources.config.timezone });
    const outcomes = new Map(rows.map((r) => [r.debtor_id, r]));
    for (let i = 0; i < n; i++) {
      if (dates[i] !== d) continue;
      const o = outcomes.get(m.debtorIds[i] as string);
      if (!o) continue;
      const [c, pp, pr, k] = [Number(o.n_contacts), Number(o.n_phone_promises), Number(o.n_promises), Number(o.n_kept)];
      out.treated[i] = o.treated ? 1 : 0;
      out.contacted[i] = c > 0 ? 1 : 0;
      out.promised[i] = pp > 0 ? 1 : 0;
      out.kept[i] = k > 0 ? 1 : 0;
      out.nContacts[i] = c;
      out.nPhonePromises[i] = Math.min(pp, c);
      out.nPromises[i] = pr;
      out.nKept[i] = Math.min(k, pr);
    }
  }
  return out;
}

/**
 * The rows of `parts` where `keep` holds, labelled by `label`, thinned evenly to at most `max` rows
 * (deterministic: every k-th row in snapshot order).
 */
function gather(parts: readonly Labelled[], keep: (p: Labelled, i: number) => boolean, label: (p: Labelled, i: number) => number, max = Infinity): Dataset {
  const nCols = parts[0]?.frame.nCols ?? 0;
  const featureNames = parts[0]?.frame.featureNames ?? [];
  let count = 0;
  for (const p of parts) for (let i = 0; i < p.frame.nRows; i++) if (keep(p, i)) count++;
  const step = Math.max(1, count / max);
  const picked: [Labelled, number][] = [];
  let seen = 0;
  let next = 0;
  for (const p of parts) {
    for (let i = 0; i < p.frame.nRows; i++) {
      if (!keep(p, i)) continue;
      if (seen >= next) {
        picked.push([p, i]);
        next += step;
      }
      seen++;
    }
  }
  const data = new Float64Array(picked.length * nCols);
  const y = new Uint8Array(picked.length);
  picked.forEach(([p, i], k) => {
    data.set(p.frame.data.subarray(i * nCols, (i + 1) * nCols), k * nCols);
    y[k] = label(p, i);
  });
  return { nRows: picked.length, nCols, data, y, featureNames };
}

/**
 * Per-event rates as a weighted dataset: each row with `trials(p, i)` > 0 gives a positive row of
 * weight `successes` and a negative row of weight `trials − successes` (zero weights left out), so
 * the GBDT learns P(success per event) — per contact, per promise — rather than "at least one".
 */
function gatherRates(parts: readonly Labelled[], trials: (p: Labelled, i: number) => number, successes: (p: Labelled, i: number) => number): Dataset {
  const nCols = parts[0]?.frame.nCols ?? 0;
  const featureNames = parts[0]?.frame.featureNames ?? [];
  // Counted first, then filled: no per-row objects (a million training rows stay typed arrays).
  let count = 0;
  for (const p of parts) {
    for (let i = 0; i < p.frame.nRows; i++) {
      const n = trials(p, i);
      if (n <= 0) continue;
      const k = successes(p, i);
      count += (k > 0 ? 1 : 0) + (n - k > 0 ? 1 : 0);
    }
  }
  const data = new Float64Array(count * nCols);
  const y = new Uint8Array(count);
  const weights = new Float64Array(count);
  let at = 0;
  const push = (p: Labelled, i: number, label: number, w: number): void => {
    data.set(p.frame.data.subarray(i * nCols, (i + 1) * nCols), at * nCols);
    y[at] = label;
    weights[at] = w;
    at++;
  };
  for (const p of parts) {
    for (let i = 0; i < p.frame.nRows; i++) {
      const n = trials(p, i);
      if (n <= 0) continue;
      const k = successes(p, i);
      if (k > 0) push(p, i, 1, k);
      if (n - k > 0) push(p, i, 0, n - k);
    }
  }
  return { nRows: count, nCols, data, y, weights, featureNames };
}

/** The GBDT fit of one label, refusing a label it cannot learn (no positive or no negative row). */
function labelFit(name: string, ds: Dataset, options: GbdtOptions): FitJob {
  let positives = 0;
  for (const v of ds.y) positives += v;
  if (positives === 0 || positives === ds.nRows) throw new ValidationError(`uplift model: the ${name} rows have ${positives} positives out of ${ds.nRows}, nothing to learn: not enough call history yet`);
  return { kind: 'gbdt', options: { gbdt: options }, train: ds, seed: 42 };
}

/**
 * Fits, evaluates and stores the uplift model of the office's history up to `asOf` (the same
 * snapshot dates as the propensity training). With `sets` (the propensity training's, in memory:
 * the retrain passes them) only what followed each row is read; without, the snapshots are read
 * (and computed when missing from features.*).
 */
export async function trainUpliftOnOffice(resources: PipelineResources, options: { asOf?: IsoDate; trigger: string; log?: Logger; maxArmRows?: number; gbdt?: GbdtOptions; perEvent?: boolean; snapshots?: number; sets?: TrainingSets }): Promise<UpliftTrainingReport> {
  const { db, config } = resources;
  const log = options.log ?? resources.log;
  const horizon = config.scoring.horizonDays;
  const dataEnd = options.asOf ?? (await latestEventDate(db));
  if (!dataEnd) throw new ValidationError('no history in clean.* to learn the effect of a call from: load an export first');
  const dates = options.sets
    ? ([...new Set([options.sets.fit, options.sets.valid, options.sets.test].flatMap((m) => m.asOf ?? []))].sort() as IsoDate[])
    : trainingSnapshotDates(dataEnd, horizon, Math.min(config.scoring.trainingSnapshots, options.snapshots ?? UPLIFT_SNAPSHOTS));
  const started = process.hrtime.bigint();
  const parts: Labelled[] = [];
  if (options.sets) {
    for (const m of [options.sets.fit, options.sets.valid, options.sets.test]) parts.push(await labelMatrix(resources, m, horizon, UPLIFT_TREATMENT_DAYS));
  } else {
    for (const asOf of dates) {
      let part = await readSnapshot(resources, asOf, horizon, UPLIFT_TREATMENT_DAYS);
      if (part.frame.nRows === 0) {
        await computeFeatureSnapshot(db, { asOf, timeZone: config.timezone, current: false });
        await computeLabels(db, { asOf, horizonDays: horizon, minAmount: config.scoring.minPaidAmount });
        part = await readSnapshot(resources, asOf, horizon, UPLIFT_TREATMENT_DAYS);
      }
      parts.push(part);
    }
  }
  const evaluation = parts.pop() as Labelled;
  const evaluationAsOf = dates[dates.length - 1] as IsoDate;
  const fitSnapshots = dates.slice(0, -1);
  const gbdt = options.gbdt ?? UPLIFT_GBDT;
  const perEvent = options.perEvent ?? true;
  const promiseSet = perEvent ? gatherRates(parts, (p, i) => p.nContacts[i] as number, (p, i) => p.nPhonePromises[i] as number) : gather(parts, (p, i) => p.contacted[i] === 1, (p, i) => p.promised[i] as number);
  const keptSet = perEvent ? gatherRates(parts, (p, i) => p.nPromises[i] as number, (p, i) => p.nKept[i] as number) : gather(parts, (p, i) => p.promised[i] === 1, (p, i) => p.kept[i] as number);
  const controlSet = gather(parts, (p, i) => p.treated[i] === 0, (p, i) => p.y[i] as number, options.maxArmRows ?? UPLIFT_MAX_ARM_ROWS);
  let treatedRows = 0;
  for (const p of parts) for (const t of p.treated) treatedRows += t;
  // The three fits are independent: side by side.
  const [promise, kept, control] = (await fitSideBySide([labelFit('contacted', promiseSet, gbdt), labelFit('promised', keptSet, gbdt), labelFit('not called', controlSet, gbdt)])).map((r) => r.model) as [FittedModel, FittedModel, FittedModel];
  const model: UpliftModel = { kind: 'structural', featureNames: promiseSet.featureNames, promise, kept, control };
  const fitRows = { treated: treatedRows, control: controlSet.nRows, contacted: promiseSet.nRows, promised: keptSet.nRows };
  const fitSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  // Judged on the newest snapshot: each part on the rows it is about, then the whole ordering.
  const scores = predictUpliftScores(model, evaluation.frame);
  const among = (flags: Uint8Array, p: Float64Array, y: Uint8Array): number => {
    const idx = [...flags.keys()].filter((i) => flags[i] === 1);
    const ys = Uint8Array.from(idx, (i) => y[i] as number);
    const positives = ys.reduce((s, v) => s + v, 0);
    return positives === 0 || positives === ys.length ? NaN : auc(ys, Float64Array.from(idx, (i) => p[i] as number));
  };
  const promiseAuc = among(evaluation.contacted, model.promise.predictProba(evaluation.frame), evaluation.promised);
  const keptAuc = among(evaluation.promised, model.kept.predictProba(evaluation.frame), evaluation.kept);
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
    fitRows,
    evaluationAsOf,
    evaluation: { rows: evaluation.frame.nRows, called: calledRows, qini, deciles, promiseAuc, keptAuc },
    fitSeconds,
  });
  log.info('uplift model trained', { versionId, ...fitRows, evaluationAsOf, promiseAuc: promiseAuc.toFixed(3), keptAuc: keptAuc.toFixed(3), qini: qini.toFixed(4), fitSeconds: fitSeconds.toFixed(2) });
  return { versionId, fitSnapshots, evaluationAsOf, rows: fitRows, qini, fitSeconds };
}
