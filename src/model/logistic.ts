/**
 * Logistic regression behind the {@link Classifier} interface: preprocessing (median imputation,
 * missing indicators, percentile clipping, one-hot, standardisation) fitted on the training rows,
 * then one of two solvers: Newton/IRLS (default; L2 and sample weights) or the
 * `ml-logistic-regression` package's gradient descent (no weights, no penalty).
 */
import { sigmoid, type Classifier, type Dataset, type Explanation, type FeatureImportance, type FeatureMatrix, type FitOptions, type FittedModel, type SerializedModel } from './classifier';
import { assertDataset, columnsOf } from './dataset-ops';
import { fitLogisticGradientDescent, type GradientDescentOptions } from './logistic-gradient-descent';
import { fitLogisticIrlsShifted, type IrlsOptions } from './logistic-irls';
import { preprocessedDesign } from './preprocessed-design';
import type { ShiftedDesign } from './shifted-design';
import { applyPreprocessor, fitPreprocessor, parsePreprocessState, type PreprocessColumn, type PreprocessOptions, type PreprocessState } from './preprocess';

/** Model kind written in serialised logistic models. */
export const LOGISTIC_KIND = 'logistic';

/** Options of {@link LogisticClassifier}. */
export interface LogisticOptions {
  /** `irls` (Newton, weights and L2) or `gradient-descent` (ml-logistic-regression). @defaultValue 'irls' */
  readonly solver?: 'irls' | 'gradient-descent';
  /** Preprocessing; categorical columns default to the dataset's `categorical`. @defaultValue {} */
  readonly preprocess?: PreprocessOptions;
  /** Newton solver options. @defaultValue {} */
  readonly irls?: IrlsOptions;
  /** Gradient-descent solver options. @defaultValue {} */
  readonly gradientDescent?: GradientDescentOptions;
}

/** How the solver ended. */
export interface ConvergenceReport {
  readonly solver: 'irls' | 'gradient-descent';
  readonly iterations: number;
  readonly gradientNorm: number;
  readonly converged: boolean;
}

/** The serialised form of a {@link FittedLogistic}. */
export interface SerializedLogistic extends SerializedModel {
  readonly kind: typeof LOGISTIC_KIND;
  readonly formatVersion: 1;
  readonly preprocess: PreprocessState;
  readonly intercept: number;
  /** One coefficient per preprocessed column, in the standardised space. */
  readonly coefficients: readonly number[];
  readonly convergence: ConvergenceReport;
}

/** A logistic regression kind with bound options. */
export class LogisticClassifier implements Classifier {
  readonly kind = LOGISTIC_KIND;
  private readonly options: LogisticOptions;

  constructor(options: LogisticOptions = {}) {
    const solver = options.solver ?? 'irls';
    if (solver !== 'irls' && solver !== 'gradient-descent') throw new RangeError(`solver must be 'irls' or 'gradient-descent', got ${String(solver)}`);
    this.options = { ...options, solver };
  }

  async fit(train: Dataset, _options: FitOptions = {}): Promise<FittedModel> {
    return this.fitSync(train);
  }

  /** Synchronous fit (the solvers do not wait on anything). */
  fitSync(train: Dataset): FittedLogistic {
    assertDataset(train);
    const options: PreprocessOptions = { categorical: train.categorical ?? [], ...this.options.preprocess };
    if (this.options.solver === 'gradient-descent') {
      const preprocess = fitPreprocessor(train, train.featureNames, options);
      const z = applyPreprocessor(preprocess, train);
      if (train.weights && train.weights.some((w) => w !== train.weights?.[0])) {
        throw new RangeError("solver 'gradient-descent' (ml-logistic-regression) has no sample weights; use solver 'irls'");
      }
      const s = fitLogisticGradientDescent(z, train.y, this.options.gradientDescent);
      return new FittedLogistic(preprocess, s.intercept, s.coefficients, { solver: 'gradient-descent', iterations: s.iterations, gradientNorm: s.gradientNorm, converged: s.converged });
    }
    const { preprocess, design } = preprocessedTraining(train, options);
    const s = fitLogisticIrlsShifted(design, train.y, train.weights, this.options.irls);
    return new FittedLogistic(preprocess, s.intercept, s.coefficients, { solver: 'irls', iterations: s.iterations, gradientNorm: s.gradientNorm, converged: s.converged });
  }
}

/**
 * The fitted preprocessing and the shifted design of the training rows, from one copy of their
 * columns (gone before the solver runs).
 */
function preprocessedTraining(train: Dataset, options: PreprocessOptions): { preprocess: PreprocessState; design: ShiftedDesign } {
  const columns = columnsOf(train);
  const preprocess = fitPreprocessor(train, train.featureNames, options, columns);
  return { preprocess, design: preprocessedDesign(preprocess, train, columns) };
}

/** Rows preprocessed at a time when scoring. */
const SCORE_BLOCK_ROWS = 16_384;

/** A fitted logistic regression: raw score = intercept + Σ coefficient × standardised column. */
export class FittedLogistic implements FittedModel {
  readonly kind = LOGISTIC_KIND;
  readonly featureNames: readonly string[];

  constructor(
    readonly preprocess: PreprocessState,
    readonly intercept: number,
    readonly coefficients: Float64Array,
    readonly convergence: ConvergenceReport,
  ) {
    if (coefficients.length !== preprocess.columns.length) {
      throw new RangeError(`coefficients has ${coefficients.length} entries for ${preprocess.columns.length} preprocessed columns`);
    }
    this.featureNames = preprocess.inputNames;
  }

  /** Raw scores (log-odds) per row, preprocessed a block of rows at a time (a night's million rows never all at once). */
  rawScores(x: FeatureMatrix): Float64Array {
    const out = new Float64Array(x.nRows);
    for (let start = 0; start < x.nRows; start += SCORE_BLOCK_ROWS) {
      const end = Math.min(x.nRows, start + SCORE_BLOCK_ROWS);
      const z = applyPreprocessor(this.preprocess, { nRows: end - start, nCols: x.nCols, data: x.data.subarray(start * x.nCols, end * x.nCols) });
      const p = z.nCols;
      for (let i = 0; i < z.nRows; i++) {
        let s = this.intercept;
        for (let k = 0; k < p; k++) s += (this.coefficients[k] as number) * (z.data[i * p + k] as number);
        out[start + i] = s;
      }
    }
    return out;
  }

  predictProba(x: FeatureMatrix): Float64Array {
    return this.rawScores(x).map(sigmoid);
  }

  /** Linear contributions are cheap: the batch is explained on the calling thread. */
  async explainBatch(x: FeatureMatrix): Promise<Explanation> {
    return this.explain(x);
  }

  /**
   * Contributions per input feature: Σ over its preprocessed columns of coefficient × (z − training
   * mean of z); indicator and one-hot columns count towards the feature they come from.
   */
  explain(x: FeatureMatrix): Explanation {
    const z = applyPreprocessor(this.preprocess, x);
    const p = z.nCols;
    const q = x.nCols;
    const columns = this.preprocess.columns;
    const centre = Float64Array.from(columns, (c) => c.trainMean);
    let expectedValue = this.intercept;
    for (let k = 0; k < p; k++) expectedValue += (this.coefficients[k] as number) * (centre[k] as number);
    const contributions = new Float64Array(z.nRows * q);
    const rawScores = new Float64Array(z.nRows);
    for (let i = 0; i < z.nRows; i++) {
      let s = expectedValue;
      for (let k = 0; k < p; k++) {
        const c = (this.coefficients[k] as number) * ((z.data[i * p + k] as number) - (centre[k] as number));
        const at = i * q + (columns[k] as PreprocessColumn).source;
        contributions[at] = (contributions[at] as number) + c;
        s += c;
      }
      rawScores[i] = s;
    }
    return { expectedValue, contributions, rawScores };
  }

  importance(x?: FeatureMatrix, contributions?: Float64Array): FeatureImportance[] {
    const q = this.featureNames.length;
    const gain = new Float64Array(q);
    this.preprocess.columns.forEach((c, k) => {
      gain[c.source] = (gain[c.source] as number) + Math.abs(this.coefficients[k] as number);
    });
    const meanAbs = new Float64Array(q);
    if (x && x.nRows > 0) {
      const c = contributions ?? this.explain(x).contributions;
      for (let i = 0; i < x.nRows; i++) for (let j = 0; j < q; j++) meanAbs[j] = (meanAbs[j] as number) + Math.abs(c[i * q + j] as number) / x.nRows;
    }
    return this.featureNames.map((feature, j) => ({ feature, meanAbsContribution: meanAbs[j] as number, gain: gain[j] as number }));
  }

  toJSON(): SerializedLogistic {
    return {
      kind: LOGISTIC_KIND,
      formatVersion: 1,
      featureNames: [...this.featureNames],
      preprocess: this.preprocess,
      intercept: this.intercept,
      coefficients: Array.from(this.coefficients),
      convergence: this.convergence,
    };
  }
}

/** Restores a fitted logistic model from its JSON (as produced by `toJSON`). */
export function loadLogistic(json: unknown): FittedLogistic {
  const v = json as Partial<SerializedLogistic> | null;
  if (!v || v.kind !== LOGISTIC_KIND) throw new TypeError(`not a logistic model: kind ${String(v?.kind)}`);
  if (v.formatVersion !== 1) throw new TypeError(`unsupported logistic formatVersion ${String(v.formatVersion)}`);
  if (typeof v.intercept !== 'number' || !Array.isArray(v.coefficients)) throw new TypeError('logistic model needs a numeric intercept and a coefficients array');
  const convergence = v.convergence ?? { solver: 'irls', iterations: 0, gradientNorm: NaN, converged: false };
  return new FittedLogistic(parsePreprocessState(v.preprocess), v.intercept, Float64Array.from(v.coefficients), convergence);
}
