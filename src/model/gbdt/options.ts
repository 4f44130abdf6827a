/**
 * Hyper-parameters of the gradient-boosted tree model and the one step that validates them, so a
 * bad value fails before any data is touched and the message names the option.
 */
import { ValidationError } from '../../core/errors';

/** Hyper-parameters of {@link GbdtClassifier}; every field is optional. */
export interface GbdtOptions {
  /** Maximum number of boosting rounds (trees). @defaultValue 1000 */
  readonly numRounds?: number;
  /**
   * Shrinkage applied to every leaf value. 0.1 with 15 leaves: the same inner-validation AUC as
   * 0.05 with 31 leaves on Give Me Some Credit and a higher one on Bank Marketing, with about half
   * the fit time (bench/model/RESULTS-bank.md, 2026-12-05). @defaultValue 0.1
   */
  readonly learningRate?: number;
  /** Maximum leaves per tree; trees grow best-first (leaf-wise) up to this. @defaultValue 15 */
  readonly numLeaves?: number;
  /** Maximum depth of a leaf; `Infinity` leaves depth bounded by `numLeaves` only. @defaultValue Infinity */
  readonly maxDepth?: number;
  /**
   * Minimum number of training rows in a leaf. 20 (HistGradientBoosting's): +0.0009 inner AUC on
   * Bank Marketing, −0.0001 on Give Me Some Credit, fewer rounds on both. @defaultValue 20
   */
  readonly minDataInLeaf?: number;
  /** Minimum sum of hessians in a leaf. @defaultValue 0.001 */
  readonly minSumHessian?: number;
  /** L2 penalty on leaf values (λ in −G / (H + λ)). @defaultValue 1 */
  readonly lambda?: number;
  /** A split is made only if its gain exceeds this. @defaultValue 0 */
  readonly minSplitGain?: number;
  /** Fraction of rows drawn (without replacement) for each tree; 1 disables bagging. @defaultValue 0.8 */
  readonly subsample?: number;
  /** Fraction of features drawn for each tree; 1 uses all. @defaultValue 1 */
  readonly colsample?: number;
  /** Maximum number of value bins per feature (the missing bin is extra), at most 255. @defaultValue 255 */
  readonly maxBins?: number;
  /**
   * Stop when the validation log-loss has not improved for this many rounds and keep the best
   * round; 0 disables. Used only when `FitOptions.validation` is given. 10, as
   * HistGradientBoosting's n_iter_no_change: on Give Me Some Credit the same AUC as 30 with 28 %
   * less CPU, on Bank Marketing +0.001 AUC with 35 % less (bench/model/RESULTS-bank.md). @defaultValue 10
   */
  readonly earlyStoppingRounds?: number;
  /** Smoothing added to the hessian sum when ordering categories by gradient ratio. @defaultValue 10 */
  readonly catSmooth?: number;
  /**
   * Categories with fewer rows than this in a leaf are left out of that leaf's ordering and go
   * right, so a handful of rows cannot place their category at either end of the order (as
   * HistGradientBoosting's MIN_CAT_SUPPORT). @defaultValue 1
   */
  readonly minCatSupport?: number;
  /** Extra L2 penalty (added to `lambda`) in the gain of a categorical split, as LightGBM's cat_l2. @defaultValue 0 */
  readonly catL2?: number;
  /**
   * Threads used to build histograms and partition rows (the calling thread counts as one); 0
   * chooses at each fit: every core, or 1 when the machine is already oversubscribed (1-minute
   * load average above twice the cores). The model does not depend on it. @defaultValue 0
   */
  readonly nThreads?: number;
  /**
   * Below this many training rows, histograms are built on the calling thread only, because
   * starting and synchronising workers costs more than it saves. @defaultValue 20000
   */
  readonly parallelMinRows?: number;
}

/** {@link GbdtOptions} with every default filled in. */
export type ResolvedGbdtOptions = { readonly [K in keyof GbdtOptions]-?: number };

/**
 * The defaults, chosen by cross-validation inside the training folds of Give Me Some Credit and
 * Bank Marketing (`bench/model/inner-cv.ts`; the reference test folds are not used to choose).
 */
export const GBDT_DEFAULTS: ResolvedGbdtOptions = {
  numRounds: 1000,
  learningRate: 0.1,
  numLeaves: 15,
  maxDepth: Infinity,
  minDataInLeaf: 20,
  minSumHessian: 1e-3,
  lambda: 1,
  minSplitGain: 0,
  subsample: 0.8,
  colsample: 1,
  maxBins: 255,
  earlyStoppingRounds: 10,
  catSmooth: 10,
  minCatSupport: 1,
  catL2: 0,
  parallelMinRows: 20000,
  nThreads: 0,
};

type Check = (v: number) => boolean;
const isInt: Check = (v) => Number.isInteger(v);
const RULES: Record<keyof GbdtOptions, [Check, string]> = {
  numRounds: [(v) => isInt(v) && v >= 1, 'an integer ≥ 1'],
  learningRate: [(v) => v > 0 && v <= 1, 'a number in (0, 1]'],
  numLeaves: [(v) => isInt(v) && v >= 2 && v <= 4096, 'an integer in [2, 4096]'],
  maxDepth: [(v) => v === Infinity || (isInt(v) && v >= 1), 'an integer ≥ 1 or Infinity'],
  minDataInLeaf: [(v) => isInt(v) && v >= 1, 'an integer ≥ 1'],
  minSumHessian: [(v) => Number.isFinite(v) && v >= 0, 'a finite number ≥ 0'],
  lambda: [(v) => Number.isFinite(v) && v >= 0, 'a finite number ≥ 0'],
  minSplitGain: [(v) => Number.isFinite(v) && v >= 0, 'a finite number ≥ 0'],
  subsample: [(v) => v > 0 && v <= 1, 'a number in (0, 1]'],
  colsample: [(v) => v > 0 && v <= 1, 'a number in (0, 1]'],
  maxBins: [(v) => isInt(v) && v >= 2 && v <= 255, 'an integer in [2, 255]'],
  earlyStoppingRounds: [(v) => isInt(v) && v >= 0, 'an integer ≥ 0'],
  catSmooth: [(v) => Number.isFinite(v) && v >= 0, 'a finite number ≥ 0'],
  minCatSupport: [(v) => isInt(v) && v >= 1, 'an integer ≥ 1'],
  catL2: [(v) => Number.isFinite(v) && v >= 0, 'a finite number ≥ 0'],
  nThreads: [(v) => isInt(v) && v >= 0 && v <= 64, 'an integer in [0, 64]'],
  parallelMinRows: [(v) => isInt(v) && v >= 0, 'an integer ≥ 0'],
};

/** Fills defaults and validates; throws a ValidationError naming the first bad option. */
export function resolveGbdtOptions(options: GbdtOptions = {}): ResolvedGbdtOptions {
  for (const key of Object.keys(options)) {
    if (!(key in RULES)) {
      throw new ValidationError(`gbdt option ${key} is unknown`, { context: { field: key } });
    }
  }
  const resolved: Record<string, number> = { ...GBDT_DEFAULTS };
  for (const [key, [check, expected]] of Object.entries(RULES)) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || Number.isNaN(value) || !check(value)) {
      throw new ValidationError(`gbdt option ${key} must be ${expected}, got ${String(value)}`, { context: { field: key } });
    }
    resolved[key] = value;
  }
  return resolved as ResolvedGbdtOptions;
}
