/**
 * Preprocessing for linear models, fitted on training rows only and applied unchanged at predict
 * time: median imputation with missing-indicator columns, clipping to training percentiles,
 * one-hot encoding of categorical codes (most frequent level as reference), then standardisation
 * of every output column. The fitted state is plain JSON.
 */
import type { FeatureMatrix } from './classifier';
import { column } from './dataset-ops';
import { finiteQuantiles } from './quantile';

/** Options of {@link fitPreprocessor}. */
export interface PreprocessOptions {
  /** Add a 0/1 column for each numeric feature that has missing values in training. @defaultValue true */
  readonly missingIndicators?: boolean;
  /** Clip numeric features to these training percentiles (0–100); `null` disables. @defaultValue [0.5, 99.5] */
  readonly clipPercentiles?: readonly [number, number] | null;
  /** Centre and scale every output column to mean 0, sd 1 on training rows. @defaultValue true */
  readonly standardise?: boolean;
  /** Indices of categorical columns (integer codes, NaN missing), one-hot encoded. @defaultValue [] */
  readonly categorical?: readonly number[];
  /** Most levels kept per categorical column; rarer ones share the reference. @defaultValue 20 */
  readonly maxLevels?: number;
}

/** One output column of the preprocessor. */
export interface PreprocessColumn {
  /** Output column name, e.g. `age`, `income:missing`, `city=3`. */
  readonly name: string;
  /** Index of the input column it reads. */
  readonly source: number;
  /** `value`: imputed, clipped number; `missing`: 1 when missing; `level`: 1 when code = level. */
  readonly kind: 'value' | 'missing' | 'level';
  readonly median?: number;
  readonly lo?: number;
  readonly hi?: number;
  readonly level?: number;
  /** Training mean subtracted (0 when not standardising). */
  readonly mean: number;
  /** Training standard deviation divided by (1 when not standardising or constant). */
  readonly scale: number;
  /** Mean of the output column on the training rows (0 when standardised). */
  readonly trainMean: number;
}

/** The fitted, JSON-serialisable preprocessing state. */
export interface PreprocessState {
  readonly inputNames: readonly string[];
  readonly columns: readonly PreprocessColumn[];
}

/** Validates options and fills defaults; errors name the option. */
function compileOptions(options: PreprocessOptions, nCols: number): Required<PreprocessOptions> {
  const clip = options.clipPercentiles === undefined ? ([0.5, 99.5] as const) : options.clipPercentiles;
  if (clip !== null && !(clip[0] >= 0 && clip[1] <= 100 && clip[0] < clip[1])) {
    throw new RangeError(`clipPercentiles must be [lo, hi] with 0 ≤ lo < hi ≤ 100, got [${clip.join(', ')}]`);
  }
  const maxLevels = options.maxLevels ?? 20;
  if (!Number.isInteger(maxLevels) || maxLevels < 1) throw new RangeError(`maxLevels must be a positive integer, got ${maxLevels}`);
  const categorical = options.categorical ?? [];
  for (const c of categorical) {
    if (!Number.isInteger(c) || c < 0 || c >= nCols) throw new RangeError(`categorical index ${c} is not a column (0–${nCols - 1})`);
  }
  return { missingIndicators: options.missingIndicators ?? true, clipPercentiles: clip, standardise: options.standardise ?? true, categorical, maxLevels };
}

/**
 * Fits the preprocessing on training rows `x` (with feature names `names`); `columns`, when given,
 * are the columns of `x` already copied out (see columnsOf), read instead of `x`.
 */
export function fitPreprocessor(x: FeatureMatrix, names: readonly string[], options: PreprocessOptions = {}, columns?: readonly Float64Array[]): PreprocessState {
  if (names.length !== x.nCols) throw new RangeError(`names has ${names.length} entries for ${x.nCols} columns`);
  const o = compileOptions(options, x.nCols);
  const categorical = new Set(o.categorical);
  const n = x.nRows;
  const outputs: PreprocessColumn[] = [];
  // each output column's training mean and sum of squared deviations, without building the matrix
  const push = (c: Omit<PreprocessColumn, 'mean' | 'scale' | 'trainMean'>, mean: number, squares: number) => {
    if (!o.standardise) outputs.push({ ...c, mean: 0, scale: 1, trainMean: mean });
    else {
      const sd = n > 0 ? Math.sqrt(squares / n) : 0;
      outputs.push({ ...c, mean, scale: sd > 1e-12 ? sd : 1, trainMean: 0 });
    }
  };
  // a 0/1 column that is 1 on `count` rows
  const pushIndicator = (c: Omit<PreprocessColumn, 'mean' | 'scale' | 'trainMean'>, count: number) => {
    const mean = n > 0 ? count / n : 0;
    push(c, mean, count * (1 - mean) ** 2 + (n - count) * mean ** 2);
  };
  for (let j = 0; j < x.nCols; j++) {
    const name = names[j] as string;
    const values = columns ? (columns[j] as Float64Array) : column(x, j);
    let missing = 0;
    if (categorical.has(j)) {
      const counts = levelCounts(values);
      missing = n - [...counts.values()].reduce((a, b) => a + b, 0);
      const levels = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      // the most frequent level is the reference: no column, so the design stays full rank
      for (const [level, count] of levels.slice(1, 1 + o.maxLevels)) pushIndicator({ name: `${name}=${level}`, source: j, kind: 'level', level }, count);
    } else {
      const clip = o.clipPercentiles;
      const { quantiles, count } = finiteQuantiles(values, [0.5, ...(clip ? [clip[0] / 100, clip[1] / 100] : [])]);
      missing = n - count;
      const [median, lo, hi] = count > 0 ? quantiles as [number, number?, number?] : [0];
      const low = lo ?? -Infinity;
      const high = hi ?? Infinity;
      const { mean, squares } = clippedMoments(values, median, low, high);
      push({ name, source: j, kind: 'value', median, lo: low, hi: high }, mean, squares);
    }
    if (missing > 0 && o.missingIndicators) pushIndicator({ name: `${name}:missing`, source: j, kind: 'missing' }, missing);
  }
  return { inputNames: [...names], columns: outputs };
}

/**
 * Mean of the imputed, clipped values as applyPreprocessor computes them, and the sum of their
 * squared deviations from it, in one pass: the sums run over deviations from the median, which is
 * within one standard deviation of the mean, so Σ(v − m)² − (Σ(v − m))²/n loses at most a bit.
 */
function clippedMoments(values: Float64Array, median: number, low: number, high: number): { mean: number; squares: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, squares: 0 };
  const shift = Math.min(Math.max(median, low), high);
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    let v = values[i] as number;
    if (v !== v) v = median; // NaN
    else if (v < low) v = low;
    else if (v > high) v = high;
    const d = v - shift;
    sum += d;
    sumSquares += d * d;
  }
  return { mean: shift + sum / n, squares: Math.max(0, sumSquares - (sum * sum) / n) };
}

/** Rows per non-missing code; a count array for small integer codes (the usual case), else a map. */
function levelCounts(values: Float64Array): Map<number, number> {
  const byCode = new Int32Array(4096);
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const code = v | 0;
    if (code === v && code >= 0 && code < 4096) byCode[code]!++;
    else if (!Number.isNaN(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  byCode.forEach((c, code) => { if (c > 0) counts.set(code, c); });
  return counts;
}

/**
 * Fits the preprocessing on `x` and returns it with `x` preprocessed, the very values
 * {@link applyPreprocessor} gives.
 */
export function fitTransform(x: FeatureMatrix, names: readonly string[], options: PreprocessOptions = {}): { state: PreprocessState; z: FeatureMatrix } {
  const state = fitPreprocessor(x, names, options);
  return { state, z: applyColumns(x, state.columns) };
}

/** Applies a fitted preprocessing to rows `x` (same input columns as in training). */
export function applyPreprocessor(state: PreprocessState, x: FeatureMatrix): FeatureMatrix {
  if (x.nCols !== state.inputNames.length) {
    throw new RangeError(`preprocessor expects ${state.inputNames.length} input columns, got ${x.nCols}`);
  }
  return applyColumns(x, state.columns);
}

function applyColumns(x: FeatureMatrix, columns: readonly PreprocessColumn[]): FeatureMatrix {
  const p = columns.length;
  const n = x.nRows;
  const q = x.nCols;
  const out = new Float64Array(n * p);
  for (let k = 0; k < p; k++) {
    const c = columns[k] as PreprocessColumn;
    const { source, mean, scale } = c;
    if (c.kind === 'value') {
      const median = c.median as number;
      const lo = c.lo ?? -Infinity;
      const hi = c.hi ?? Infinity;
      for (let i = 0; i < n; i++) {
        let v = x.data[i * q + source] as number;
        if (Number.isNaN(v)) v = median;
        else if (v < lo) v = lo;
        else if (v > hi) v = hi;
        out[i * p + k] = (v - mean) / scale;
      }
    } else if (c.kind === 'missing') {
      for (let i = 0; i < n; i++) out[i * p + k] = ((Number.isNaN(x.data[i * q + source] as number) ? 1 : 0) - mean) / scale;
    } else {
      const level = c.level as number;
      for (let i = 0; i < n; i++) out[i * p + k] = ((x.data[i * q + source] === level ? 1 : 0) - mean) / scale;
    }
  }
  return { nRows: n, nCols: p, data: out };
}

/** Checks that a parsed JSON value is a preprocessing state; throws naming the bad field. */
export function parsePreprocessState(value: unknown): PreprocessState {
  const v = value as Partial<PreprocessState> | null;
  if (!v || !Array.isArray(v.inputNames) || !Array.isArray(v.columns)) throw new TypeError('preprocess state needs inputNames and columns arrays');
  v.columns.forEach((c, k) => {
    if (!['value', 'missing', 'level'].includes(c.kind)) throw new TypeError(`preprocess.columns[${k}].kind is invalid`);
    if (!Number.isInteger(c.source) || c.source < 0 || c.source >= (v.inputNames as string[]).length) throw new TypeError(`preprocess.columns[${k}].source is invalid`);
    if (typeof c.mean !== 'number' || typeof c.scale !== 'number' || typeof c.trainMean !== 'number') throw new TypeError(`preprocess.columns[${k}] needs numeric mean, scale and trainMean`);
  });
  // JSON turns ±Infinity into null: restore open clipping bounds
  const columns = v.columns.map((c) => (c.kind === 'value' ? { ...c, lo: c.lo ?? -Infinity, hi: c.hi ?? Infinity } : c));
  return { inputNames: v.inputNames, columns };
}
