/**
 * The classifier interface every model kind implements (logistic, GBDT). Matrices are row-major
 * Float64Array with NaN for a missing value; probabilities are P(y = 1).
 */

/** A dense row-major matrix of features; NaN marks a missing value. */
export interface FeatureMatrix {
  readonly nRows: number;
  readonly nCols: number;
  /** Row-major values, length nRows × nCols. */
  readonly data: Float64Array;
}

/** A labelled training table. */
export interface Dataset extends FeatureMatrix {
  readonly featureNames: readonly string[];
  /** Binary labels, 0 or 1, length nRows. */
  readonly y: Uint8Array;
  /** Optional sample weights, length nRows. */
  readonly weights?: Float64Array;
  /** Indices of categorical columns (integer codes ≥ 0, NaN missing). */
  readonly categorical?: readonly number[];
}

/** Per-row additive explanation in the model's raw (log-odds) space. */
export interface Explanation {
  /** Expected raw score over the reference (training) data. */
  readonly expectedValue: number;
  /** Row-major contributions, nRows × nCols: expectedValue + Σ row = raw score. */
  readonly contributions: Float64Array;
  /** Raw scores (log-odds) per row. */
  readonly rawScores: Float64Array;
}

/** Global feature importance. */
export interface FeatureImportance {
  readonly feature: string;
  /** Mean absolute contribution over the rows it was computed on (0 if not computed). */
  readonly meanAbsContribution: number;
  /** Total split gain (trees) or |standardised coefficient| (linear). */
  readonly gain: number;
}

/** A model serialised to plain JSON; `kind` selects the loader. */
export interface SerializedModel {
  readonly kind: string;
  readonly formatVersion: number;
  readonly featureNames: readonly string[];
  readonly [key: string]: unknown;
}

/** A fitted model: predicts, explains, serialises. */
export interface FittedModel {
  readonly kind: string;
  readonly featureNames: readonly string[];
  /** P(y = 1) per row. */
  predictProba(x: FeatureMatrix): Float64Array;
  /** Raw scores and additive contributions per row. */
  explain(x: FeatureMatrix): Explanation;
  /** The same as `explain`, for large batches: may share the work among threads. */
  explainBatch(x: FeatureMatrix): Promise<Explanation>;
  /**
   * Global importance; `x` (optional) is used for mean |contribution|. `contributions`, when given,
   * are those of `x` as `explain` or `explainBatch` returned them, and are not computed again.
   */
  importance(x?: FeatureMatrix, contributions?: Float64Array): FeatureImportance[];
  toJSON(): SerializedModel;
}

/** Options passed to every fit. */
export interface FitOptions {
  /** Held-out data for early stopping (GBDT) or convergence reporting. */
  readonly validation?: Dataset;
  /** Seed for any randomness (subsampling, shuffles). @defaultValue 42 */
  readonly seed?: number;
}

/** A model kind with its hyper-parameters bound: `fit` returns a fitted model. */
export interface Classifier {
  readonly kind: string;
  fit(train: Dataset, options?: FitOptions): Promise<FittedModel>;
}

/** The logistic function. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
