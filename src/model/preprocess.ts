/**
 * Preprocessing for linear models, fitted on training rows only and applied unchanged at predict
 * time: median imputation with missing-indicator columns, clipping to training percentiles,
 * one-hot encoding of categorical codes (most frequent level as reference), then standardisation
 * of every output column. The fitted state is plain JSON.
 */
import type { FeatureMatrix } from './classifier';
import { column } from './dataset-ops';
import { quantileSorted, sortedFinite } from './quantile';

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

/** Fits the preprocessing on training rows `x` (with feature names `names`). */
export function fitPreprocessor(x: FeatureMatrix, names: readonly string[], options: PreprocessOptions = {}): PreprocessState {
  return fit(x, names, options, false).state;
}

/**
 * Fits the preprocessing on `x` and returns it with `x` preprocessed, the very values
 * {@link applyPreprocessor} gives, without a second pass over the raw rows.
 */
export function fitTransform(x: FeatureMatrix, names: readonly string[], options: PreprocessOptions = {}): { state: PreprocessState; z: FeatureMatrix } {
  return fit(x, names, options, true);
}

function fit(x: FeatureMatrix, names: readonly string[], options: PreprocessOptions, transform: boolean): { state: PreprocessState; z: FeatureMatrix } {
  if (names.length !== x.nCols) throw new RangeError(`names has ${names.length} entries for ${x.nCols} columns`);
  const o = compileOptions(options, x.nCols);
  const categorical = new Set(o.categorical);
  const draft: Omit<PreprocessColumn, 'mean' | 'scale' | 'trainMean'>[] = [];
  const missingOf = new Set<number>();
  for (let j = 0; j < x.nCols; j++) {
    const name = names[j] as string;
    const values = column(x, j);
    if (categorical.has(j)) {
      // level counts need no sorted copy (the order comes from the counts)
      const counts = new Map<number, number>();
      let present = 0;
      for (const v of values) if (!Number.isNaN(v)) { counts.set(v, (counts.get(v) ?? 0) + 1); present++; }
      if (present < values.length && o.missingIndicators) missingOf.add(j);
      const levels = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([v]) => v);
      // the most frequent level is the reference: no column, so the design stays full rank
      for (const level of levels.slice(1, 1 + o.maxLevels)) draft.push({ name: `${name}=${level}`, source: j, kind: 'level', level });
    } else {
      const sorted = sortedFinite(values);
      if (sorted.length < values.length && o.missingIndicators) missingOf.add(j);
      const median = sorted.length > 0 ? quantileSorted(sorted, 0.5) : 0;
      const lo = o.clipPercentiles && sorted.length > 0 ? quantileSorted(sorted, o.clipPercentiles[0] / 100) : -Infinity;
      const hi = o.clipPercentiles && sorted.length > 0 ? quantileSorted(sorted, o.clipPercentiles[1] / 100) : Infinity;
      draft.push({ name, source: j, kind: 'value', median, lo, hi });
    }
    if (missingOf.has(j)) draft.push({ name: `${name}:missing`, source: j, kind: 'missing' });
  }
  const unscaled = draft.map((c) => ({ ...c, mean: 0, scale: 1, trainMean: 0 }));
  const z = applyColumns(x, unscaled);
  const p = unscaled.length;
  // sums by row (the matrix is row-major), each column still summed in row order
  const n = z.nRows;
  const sums = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) sums[k]! += z.data[i * p + k] as number;
  const means = sums.map((v) => (n > 0 ? v / n : 0));
  const squares = new Float64Array(p);
  if (o.standardise) for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) squares[k]! += ((z.data[i * p + k] as number) - (means[k] as number)) ** 2;
  const columns = unscaled.map((c, k) => {
    const mean = means[k] as number;
    if (!o.standardise) return { ...c, trainMean: mean };
    const sd = n > 0 ? Math.sqrt((squares[k] as number) / n) : 0;
    return { ...c, mean, scale: sd > 1e-12 ? sd : 1 };
  });
  // the unscaled values are the clipped, imputed ones: (v − mean) / scale in place is what applyColumns computes
  if (transform) {
    const mean = Float64Array.from(columns, (c) => c.mean);
    const scale = Float64Array.from(columns, (c) => c.scale);
    for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) z.data[i * p + k] = ((z.data[i * p + k] as number) - (mean[k] as number)) / (scale[k] as number);
  }
  return { state: { inputNames: [...names], columns }, z };
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
