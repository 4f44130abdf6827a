/**
 * Small pure helpers over {@link Dataset} and {@link FeatureMatrix}: row subsets and column reads.
 * They copy; nothing here mutates its input.
 */
import type { Dataset, FeatureMatrix } from './classifier';

/** The rows `rows` (in that order, repeats allowed) of a matrix, copied. */
export function selectRows(x: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const p = x.nCols;
  const data = new Float64Array(rows.length * p);
  const from = x.data;
  // element by element: a subarray per row costs an allocation per row
  for (let r = 0, at = 0; r < rows.length; r++) {
    const src = (rows[r] as number) * p;
    for (let j = 0; j < p; j++) data[at++] = from[src + j] as number;
  }
  return { nRows: rows.length, nCols: p, data };
}

/** The rows `rows` of a dataset with their labels and weights, copied. */
export function subsetDataset(ds: Dataset, rows: ArrayLike<number>): Dataset {
  const m = selectRows(ds, rows);
  const y = new Uint8Array(rows.length);
  for (let r = 0; r < rows.length; r++) y[r] = ds.y[rows[r] as number] as number;
  let weights: Float64Array | undefined;
  if (ds.weights) {
    const w = ds.weights;
    weights = new Float64Array(rows.length);
    for (let r = 0; r < rows.length; r++) weights[r] = w[rows[r] as number] as number;
  }
  return {
    ...m,
    featureNames: ds.featureNames,
    y,
    ...(weights ? { weights } : {}),
    ...(ds.categorical ? { categorical: ds.categorical } : {}),
  };
}

/** The same dataset with sample weights replaced. */
export function withWeights(ds: Dataset, weights: Float64Array | undefined): Dataset {
  const { weights: _old, ...rest } = ds;
  return weights ? { ...rest, weights } : rest;
}

/** One column of a matrix, copied. */
export function column(x: FeatureMatrix, j: number): Float64Array {
  const out = new Float64Array(x.nRows);
  for (let i = 0; i < x.nRows; i++) out[i] = x.data[i * x.nCols + j] as number;
  return out;
}

/** Indices i for which `predicate(values[i])` holds, in increasing order. */
export function indicesWhere(values: ArrayLike<number>, predicate: (v: number) => boolean): Int32Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (predicate(values[i] as number)) count++;
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (predicate(values[i] as number)) out[k++] = i;
  return out;
}

/** Checks that a dataset's arrays agree in length and its labels are 0/1; throws a RangeError naming the field. */
export function assertDataset(ds: Dataset): void {
  if (ds.data.length !== ds.nRows * ds.nCols) throw new RangeError(`dataset.data has length ${ds.data.length}, expected nRows × nCols = ${ds.nRows * ds.nCols}`);
  if (ds.y.length !== ds.nRows) throw new RangeError(`dataset.y has length ${ds.y.length}, expected ${ds.nRows}`);
  if (ds.featureNames.length !== ds.nCols) throw new RangeError(`dataset.featureNames has ${ds.featureNames.length} names for ${ds.nCols} columns`);
  if (ds.weights && ds.weights.length !== ds.nRows) throw new RangeError(`dataset.weights has length ${ds.weights.length}, expected ${ds.nRows}`);
  for (let i = 0; i < ds.nRows; i++) {
    const v = ds.y[i] as number;
    if (v !== 0 && v !== 1) throw new RangeError(`dataset.y[${i}] is ${v}; labels must be 0 or 1`);
  }
  if (ds.weights) for (let i = 0; i < ds.nRows; i++) {
    const w = ds.weights[i] as number;
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`dataset.weights[${i}] is ${w}; weights must be finite and ≥ 0`);
  }
}
