/**
 * Calibration of a model fitted on all training rows, learned from out-of-fold predictions of the
 * same rows: k models, each fitted without one group of rows, predict that group; the calibration
 * map is fitted on those predictions. Rows are grouped (by debtor for office models), so that no
 * prediction comes from a model that saw the same debtor in another snapshot.
 */
import { Rng } from '../core/rng';
import { fitCalibrator, type CalibrationMethod, type CalibratorState } from './calibration';
import type { Classifier, Dataset, FitOptions, FittedModel } from './classifier';
import { selectRows, withRowsSplit } from './dataset-ops';

/** Options of {@link outOfFoldCalibration}. */
export interface OutOfFoldCalibrationOptions {
  readonly method: CalibrationMethod;
  /** Number of folds, ≥ 2. */
  readonly folds: number;
  /** Seed of the assignment of groups to folds and of each fit. @defaultValue 42 */
  readonly seed?: number;
  /** Rows for early stopping of each fold's fit (never the rows it predicts). */
  readonly validation?: Dataset;
}

/**
 * The fold of each row: every distinct group (shuffled with `seed`) goes whole into one fold,
 * round-robin, so folds hold about the same number of groups.
 */
export function groupFolds(groups: readonly string[], folds: number, seed = 42): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be an integer ≥ 2, got ${folds}`);
  const distinct = [...new Set(groups)].sort();
  const rng = new Rng(seed);
  for (let i = distinct.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [distinct[i], distinct[j]] = [distinct[j] as string, distinct[i] as string];
  }
  const foldOf = new Map(distinct.map((g, k) => [g, k % folds]));
  return Int32Array.from(groups, (g) => foldOf.get(g) as number);
}

/** One fold of an out-of-fold fit: the rows its model is fitted on and the rows it predicts. */
export interface FoldSplit {
  readonly fitRows: number[];
  readonly heldRows: number[];
}

/** The splits of `folds` (one fold per row), in fold order; a fold with no held or no fit rows has none. */
export function foldSplits(folds: Int32Array): FoldSplit[] {
  // a loop, not a spread: an office's fit set has too many rows for the call stack
  const k = folds.reduce((max, f) => Math.max(max, f), -1) + 1;
  const splits: FoldSplit[] = [];
  for (let f = 0; f < k; f++) {
    const fitRows: number[] = [];
    const heldRows: number[] = [];
    folds.forEach((fold, i) => (fold === f ? heldRows : fitRows).push(i));
    if (heldRows.length > 0 && fitRows.length > 0) splits.push({ fitRows, heldRows });
  }
  return splits;
}

/** Writes into `oof` the P(y = 1) that `model` (fitted without the split's held rows) gives them. */
export function predictHeldRows(model: FittedModel, train: Dataset, split: FoldSplit, oof: Float64Array): void {
  // the held rows a block at a time: a copy of them all would sit beside the fit's
  for (let start = 0; start < split.heldRows.length; start += PREDICT_BLOCK) {
    const block = split.heldRows.slice(start, start + PREDICT_BLOCK);
    const p = model.predictProba(selectRows(train, block));
    block.forEach((row, r) => {
      oof[row] = p[r] as number;
    });
  }
}

/** Out-of-fold P(y = 1) of every row of `train`, from `classifier` refitted without each fold. */
export async function outOfFoldPredictions(classifier: Classifier, train: Dataset, folds: Int32Array, options: { seed?: number; validation?: Dataset } = {}): Promise<Float64Array> {
  if (folds.length !== train.nRows) throw new RangeError(`outOfFoldPredictions: ${folds.length} folds for ${train.nRows} rows`);
  const oof = new Float64Array(train.nRows).fill(NaN);
  const seed = options.seed ?? 42;
  for (const split of foldSplits(folds)) {
    const model = await fitWithoutHeld(classifier, train, split, options.validation ? { seed, validation: options.validation } : { seed });
    predictHeldRows(model, train, split, oof);
  }
  return oof;
}

/**
 * `classifier` fitted on the split's fit rows of `train`, read as a view of `train` moved in place
 * (see withRowsSplit): no copy of them, `train` as it was once the fit returns.
 */
export async function fitWithoutHeld(classifier: Classifier, train: Dataset, split: FoldSplit, options: FitOptions): Promise<FittedModel> {
  const held = new Uint8Array(train.nRows);
  for (const row of split.heldRows) held[row] = 1;
  return withRowsSplit(train, held, (fitPart) => classifier.fit(fitPart, options));
}

/** The calibration map fitted on out-of-fold predictions; rows without one (NaN) are left out. */
export function calibratorOfPredictions(method: CalibrationMethod, oof: Float64Array, y: Uint8Array): CalibratorState {
  const rows: number[] = [];
  for (let i = 0; i < oof.length; i++) if (!Number.isNaN(oof[i] as number)) rows.push(i);
  return fitCalibrator(method, Float64Array.from(rows, (i) => oof[i] as number), Uint8Array.from(rows, (i) => y[i] as number));
}

/** Held-out rows predicted per call. */
const PREDICT_BLOCK = 65_536;

/**
 * Fits the calibration of `classifier` trained on `train`, from out-of-fold predictions over
 * `options.folds` folds of `groups` (one group per row). `none` fits nothing.
 */
export async function outOfFoldCalibration(classifier: Classifier, train: Dataset, groups: readonly string[], options: OutOfFoldCalibrationOptions): Promise<CalibratorState> {
  if (options.method === 'none') return { kind: 'none' };
  if (groups.length !== train.nRows) throw new RangeError(`outOfFoldCalibration: ${groups.length} groups for ${train.nRows} rows`);
  const folds = groupFolds(groups, options.folds, options.seed);
  const oof = await outOfFoldPredictions(classifier, train, folds, options);
  return calibratorOfPredictions(options.method, oof, train.y);
}
