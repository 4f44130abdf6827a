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

/**
 * Calls `use` with the rows where `held[i]` is 0 and those where it is 1, each in their original
 * order, as views of `ds` and not copies: the rows are moved in place so that the held ones come
 * last, and moved back once `use` settles, whether it returns or throws. Nothing else may read `ds`
 * meanwhile. A model fitted without one fold of a million rows then needs no second copy of them.
 */
export async function withRowsSplit<T>(ds: Dataset, held: Uint8Array, use: (kept: Dataset, heldRows: Dataset) => Promise<T>): Promise<T> {
  if (held.length !== ds.nRows) throw new RangeError(`withRowsSplit: ${held.length} flags for ${ds.nRows} rows`);
  const order = new Int32Array(ds.nRows);
  let nKept = 0;
  for (let i = 0; i < held.length; i++) if (held[i] === 0) order[nKept++] = i;
  for (let i = 0, at = nKept; i < held.length; i++) if (held[i] !== 0) order[at++] = i;
  const back = new Int32Array(ds.nRows);
  for (let i = 0; i < order.length; i++) back[order[i] as number] = i;
  const move = (by: Int32Array): void => {
    permuteRows(ds.data, ds.nCols, by);
    permuteRows(ds.y, 1, by);
    if (ds.weights) permuteRows(ds.weights, 1, by);
  };
  const part = (from: number, to: number): Dataset => ({
    nRows: to - from,
    nCols: ds.nCols,
    data: ds.data.subarray(from * ds.nCols, to * ds.nCols),
    featureNames: ds.featureNames,
    y: ds.y.subarray(from, to),
    ...(ds.weights ? { weights: ds.weights.subarray(from, to) } : {}),
    ...(ds.categorical ? { categorical: ds.categorical } : {}),
  });
  move(order);
  try {
    return await use(part(0, nKept), part(nKept, ds.nRows));
  } finally {
    move(back);
  }
}

/** Rows of `stride` values rearranged in place so that row i becomes the former row `order[i]` (one cycle at a time, one row of scratch). */
function permuteRows(values: Float64Array | Uint8Array, stride: number, order: Int32Array): void {
  const done = new Uint8Array(order.length);
  const scratch = values instanceof Float64Array ? new Float64Array(stride) : new Uint8Array(stride);
  for (let start = 0; start < order.length; start++) {
    if (done[start] || order[start] === start) continue;
    scratch.set(values.subarray(start * stride, (start + 1) * stride));
    let j = start;
    for (;;) {
      done[j] = 1;
      const k = order[j] as number;
      if (k === start) {
        values.set(scratch, j * stride);
        break;
      }
      values.copyWithin(j * stride, k * stride, (k + 1) * stride);
      j = k;
    }
  }
}

/** The same dataset with sample weights replaced. */
export function withWeights(ds: Dataset, weights: Float64Array | undefined): Dataset {
  const { weights: _old, ...rest } = ds;
  return weights ? { ...rest, weights } : rest;
}

/** One column of a matrix, copied. */
export function column(x: FeatureMatrix, j: number): Float64Array {
  const { nRows, nCols, data } = x;
  const out = new Float64Array(nRows);
  for (let i = 0, at = j; i < nRows; i++, at += nCols) out[i] = data[at] as number;
  return out;
}

/**
 * Every column of a matrix, copied, in one pass: a block of rows at a time, so each row is read
 * once from memory rather than once per column (a tall matrix read column by column is as many
 * passes over memory as it has columns).
 */
export function columnsOf(x: FeatureMatrix): Float64Array[] {
  const { nRows, nCols, data } = x;
  const out = Array.from({ length: nCols }, () => new Float64Array(nRows));
  for (let start = 0; start < nRows; start += TRANSPOSE_BLOCK) {
    const end = Math.min(nRows, start + TRANSPOSE_BLOCK);
    for (let j = 0; j < nCols; j++) {
      const c = out[j] as Float64Array;
      for (let i = start, at = start * nCols + j; i < end; i++, at += nCols) c[i] = data[at] as number;
    }
  }
  return out;
}

/** Rows per block of {@link columnsOf}: a block of a few dozen columns stays in the L2 cache. */
const TRANSPOSE_BLOCK = 2048;

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
