/**
 * Honest evaluation of a {@link Classifier} over train/test splits. Everything learned from labels
 * — class weights, oversampling, calibration, the cost-optimal threshold — is learned on the
 * training rows of each split only: calibration and threshold read out-of-fold predictions of an
 * inner k-fold over those training rows, never the test rows.
 */
import { Rng } from '../core/rng';
import { applyCalibrator, fitCalibrator, type CalibrationMethod, type CalibratorState } from './calibration';
import type { Classifier, Dataset } from './classifier';
import { subsetDataset, withWeights } from './dataset-ops';
import { stratifiedFolds, splitsFromFolds, type Split } from './folds';
import { accuracy, auc, averagePrecision, brier, checkCosts, costAt, DEFAULT_COSTS, ks, logLoss, type CostModel } from './metrics';
import { balancedWeights, oversampleIndices } from './resampling';
import { resolveThreshold, type ThresholdRule } from './threshold';

/** Options of {@link crossValidate}. */
export interface CrossValidateOptions {
  /** Error costs. @defaultValue DEFAULT_COSTS (missed positive 10, false alarm 1) */
  readonly costs?: CostModel;
  /** How each fold's decision threshold is chosen. @defaultValue 'cost-optimal' */
  readonly threshold?: ThresholdRule;
  /** Calibration fitted on inner out-of-fold predictions. @defaultValue 'none' */
  readonly calibration?: CalibrationMethod;
  /** Inner folds over the training rows, for threshold and calibration. @defaultValue 3 */
  readonly innerFolds?: number;
  /** `balanced`: weight classes n / (2 n_class) in every fit. @defaultValue 'none' */
  readonly classWeight?: 'none' | 'balanced';
  /** Oversample the minority class to this ratio inside each training set; null: none. @defaultValue null */
  readonly oversample?: number | null;
  /**
   * Share of each fit's training rows held out (stratified; one fold of ⌊1/fraction⌉) as
   * `FitOptions.validation`, for early stopping; 0: none. @defaultValue 0
   */
  readonly validationFraction?: number;
  /** Seed for inner folds and oversampling. @defaultValue 42 */
  readonly seed?: number;
  /** Called once per split with the rows each step used (indices into the dataset). */
  readonly audit?: (event: FoldAudit) => void;
}

/** Which rows each step of one split read. */
export interface FoldAudit {
  readonly fold: number;
  readonly testRows: Int32Array;
  /** Rows the final model learned from (before oversampling; early-stopping rows included). */
  readonly fitRows: Int32Array;
  /** Rows whose out-of-fold predictions set the threshold and calibration (empty when unused). */
  readonly thresholdRows: Int32Array;
}

/** Metrics of one split's test rows. */
export interface FoldResult {
  readonly fold: number;
  readonly nTrain: number;
  readonly nTest: number;
  readonly auc: number;
  readonly averagePrecision: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly accuracy: number;
  readonly ks: number;
  /** Bayes threshold (shifted for class weighting or oversampling without calibration). */
  readonly fixedThreshold: number;
  readonly fixedCost: number;
  /** Threshold chosen on the training rows. */
  readonly threshold: number;
  readonly thresholdCost: number;
  /** Wall-clock seconds of the final fit. */
  readonly fitSeconds: number;
  /** CPU seconds of the final fit, all threads of the process (steadier than wall time on a shared machine). */
  readonly fitCpuSeconds: number;
  readonly predictRowsPerSecond: number;
  /** Test rows predicted per CPU second. */
  readonly predictRowsPerCpuSecond: number;
  readonly calibration: CalibratorState;
}

/** Mean and (population) standard deviation over splits. */
export interface Summary {
  readonly mean: number;
  readonly std: number;
}

/** Result of {@link crossValidate}. */
export interface CrossValidationResult {
  readonly folds: readonly FoldResult[];
  readonly summary: Readonly<Record<SummaryKey, Summary>>;
  /** Test-fold probability per dataset row (NaN for rows in no test fold). */
  readonly outOfFold: Float64Array;
}

const SUMMARY_KEYS = ['auc', 'averagePrecision', 'logLoss', 'brier', 'accuracy', 'ks', 'fixedCost', 'thresholdCost', 'threshold', 'fitSeconds', 'fitCpuSeconds', 'predictRowsPerSecond', 'predictRowsPerCpuSecond'] as const;
/** Metrics summarised over splits. */
export type SummaryKey = (typeof SUMMARY_KEYS)[number];

interface Compiled {
  costs: CostModel; threshold: ThresholdRule; calibration: CalibrationMethod; innerFolds: number;
  classWeight: 'none' | 'balanced'; oversample: number | null; validationFraction: number; seed: number;
}

function compile(o: CrossValidateOptions): Compiled {
  const innerFolds = o.innerFolds ?? 3;
  if (!Number.isInteger(innerFolds) || innerFolds < 2) throw new RangeError(`innerFolds must be an integer ≥ 2, got ${innerFolds}`);
  const classWeight = o.classWeight ?? 'none';
  if (classWeight !== 'none' && classWeight !== 'balanced') throw new RangeError(`classWeight must be 'none' or 'balanced', got ${String(classWeight)}`);
  const oversample = o.oversample ?? null;
  if (oversample !== null && !(oversample > 0 && oversample <= 1)) throw new RangeError(`oversample must be in (0, 1] or null, got ${oversample}`);
  const validationFraction = o.validationFraction ?? 0;
  if (!(validationFraction >= 0 && validationFraction < 1)) throw new RangeError(`validationFraction must be in [0, 1), got ${validationFraction}`);
  const calibration = o.calibration ?? 'none';
  if (!['none', 'platt', 'isotonic'].includes(calibration)) throw new RangeError(`calibration must be 'none', 'platt' or 'isotonic', got ${String(calibration)}`);
  return { costs: checkCosts(o.costs ?? DEFAULT_COSTS), threshold: o.threshold ?? 'cost-optimal', calibration, innerFolds, classWeight, oversample, validationFraction, seed: o.seed ?? 42 };
}

/** Fits on `rows` of `ds` with the class rebalancing of `o`; returns the model and the prior-odds factor it induces. */
async function fitOnRows(classifier: Classifier, ds: Dataset, rows: Int32Array, o: Compiled, rng: Rng, seed: number) {
  let validation: Dataset | undefined;
  if (o.validationFraction > 0) {
    const y = Uint8Array.from(rows, (i) => ds.y[i] as number);
    const folds = stratifiedFolds(y, Math.max(2, Math.round(1 / o.validationFraction)), seed + rows.length);
    validation = subsetDataset(ds, rows.filter((_, k) => folds[k] === 0));
    rows = rows.filter((_, k) => folds[k] !== 0);
  }
  let train = subsetDataset(ds, rows);
  let pos = 0;
  for (const v of train.y) pos += v;
  const neg = train.nRows - pos;
  let oddsFactor = 1;
  if (o.oversample !== null) {
    train = subsetDataset(train, oversampleIndices(train.y, rng, o.oversample));
    oddsFactor = pos > 0 ? (o.oversample * neg) / pos : 1;
  }
  if (o.classWeight === 'balanced') {
    const w = balancedWeights(train.y);
    if (train.weights) for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) * (train.weights[i] as number);
    train = withWeights(train, w);
    oddsFactor = pos > 0 ? neg / pos : 1;
  }
  const model = await classifier.fit(train, validation ? { seed, validation } : { seed });
  return { model, oddsFactor };
}

/** Cross-validates `classifier` on `ds` over `splits` (or a fold per row). */
export async function crossValidate(classifier: Classifier, ds: Dataset, splits: readonly Split[] | ArrayLike<number>, options: CrossValidateOptions = {}): Promise<CrossValidationResult> {
  const o = compile(options);
  const list: readonly Split[] = isSplitList(splits) ? splits : splitsFromFolds(splits);
  const outOfFold = new Float64Array(ds.nRows).fill(NaN);
  const results: FoldResult[] = [];
  for (const [fold, split] of list.entries()) {
    const rng = new Rng(o.seed + 7919 * fold);
    const needInner = o.threshold === 'cost-optimal' || o.calibration !== 'none';
    let calibration: CalibratorState = { kind: 'none' };
    let chosen = resolveThreshold(typeof o.threshold === 'number' ? o.threshold : 'bayes', o.costs);
    if (needInner) {
      const trainY = Uint8Array.from(split.train, (i) => ds.y[i] as number);
      const inner = splitsFromFolds(stratifiedFolds(trainY, o.innerFolds, o.seed + fold));
      const oof = new Float64Array(split.train.length);
      for (const s of inner) {
        const { model } = await fitOnRows(classifier, ds, s.train.map((k) => split.train[k] as number), o, rng, o.seed);
        const p = model.predictProba(subsetDataset(ds, s.test.map((k) => split.train[k] as number)));
        s.test.forEach((k, r) => { oof[k] = p[r] as number; });
      }
      calibration = fitCalibrator(o.calibration, oof, trainY);
      const calibrated = applyCalibrator(calibration, oof);
      if (o.threshold === 'cost-optimal') chosen = resolveThreshold('cost-optimal', o.costs, { y: trainY, p: calibrated });
    }
    options.audit?.({ fold, testRows: split.test, fitRows: split.train, thresholdRows: needInner ? split.train : new Int32Array(0) });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const { model, oddsFactor } = await fitOnRows(classifier, ds, split.train, o, rng, o.seed);
    const fitSeconds = (performance.now() - t0) / 1000;
    const fitCpuSeconds = cpuSeconds(process.cpuUsage(c0));
    const test = subsetDataset(ds, split.test);
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const raw = model.predictProba(test);
    const predictSeconds = (performance.now() - t1) / 1000;
    const predictCpuSeconds = cpuSeconds(process.cpuUsage(c1));
    const p = applyCalibrator(calibration, raw);
    p.forEach((v, r) => { outOfFold[split.test[r] as number] = v; });
    const fixed = resolveThreshold('bayes', o.costs, undefined, calibration.kind === 'none' ? oddsFactor : 1).threshold;
    results.push({
      fold, nTrain: split.train.length, nTest: split.test.length,
      auc: auc(test.y, p), averagePrecision: averagePrecision(test.y, p), logLoss: logLoss(test.y, p), brier: brier(test.y, p),
      accuracy: accuracy(test.y, p, 0.5), ks: ks(test.y, p),
      fixedThreshold: fixed, fixedCost: costAt(test.y, p, fixed, o.costs),
      threshold: chosen.threshold, thresholdCost: costAt(test.y, p, chosen.threshold, o.costs),
      fitSeconds, fitCpuSeconds, predictRowsPerSecond: test.nRows / Math.max(predictSeconds, 1e-6),
      predictRowsPerCpuSecond: test.nRows / Math.max(predictCpuSeconds, 1e-6), calibration,
    });
  }
  return { folds: results, summary: summarise(results), outOfFold };
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function isSplitList(s: readonly Split[] | ArrayLike<number>): s is readonly Split[] {
  return Array.isArray(s) && s.length > 0 && typeof s[0] === 'object';
}

/** Mean and population standard deviation of each metric over folds. */
export function summarise(folds: readonly FoldResult[]): Record<SummaryKey, Summary> {
  const out = {} as Record<SummaryKey, Summary>;
  for (const key of SUMMARY_KEYS) {
    const values = folds.map((f) => f[key]);
    const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length);
    out[key] = { mean, std: Math.sqrt(variance) };
  }
  return out;
}
