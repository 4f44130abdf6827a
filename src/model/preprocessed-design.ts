/**
 * The shifted design (column baselines plus sparse deviations, see shifted-design.ts) of
 * preprocessed rows, built from the raw rows and the fitted preprocessing without the dense
 * preprocessed matrix: a one-hot or missing-indicator column holds two values, its baseline is the
 * more frequent one and its deviations are the rows holding the other, found in one pass over the
 * source column; a numeric column is imputed, clipped and standardised as applyPreprocessor does.
 */
import type { FeatureMatrix } from './classifier';
import { column } from './dataset-ops';
import type { PreprocessColumn, PreprocessState } from './preprocess';
import type { ShiftedDesign } from './shifted-design';

/** Rows per block of the row-major fill. */
const FILL_BLOCK = 4096;

/** One output column's deviations: rows ascending, and the value of each (or one value for all). */
interface Deviations {
  readonly rows: Int32Array;
  readonly values: Float64Array | number;
}

/**
 * The shifted design of `applyPreprocessor(state, x)`: the same deviations, values and baselines
 * as `shiftedDesign` of that matrix (a two-valued column whose values tie on exactly half of the
 * rows may take the other baseline, which changes no sum).
 */
export function preprocessedDesign(state: PreprocessState, x: FeatureMatrix): ShiftedDesign {
  if (x.nCols !== state.inputNames.length) throw new RangeError(`preprocessor expects ${state.inputNames.length} input columns, got ${x.nCols}`);
  const n = x.nRows;
  const p = state.columns.length;
  const base = new Float64Array(p);
  const deviations: Deviations[] = new Array<Deviations>(p);
  const bySource = new Map<number, number[]>();
  state.columns.forEach((c, k) => bySource.set(c.source, [...(bySource.get(c.source) ?? []), k]));
  const z = new Float64Array(n);
  for (const [source, outputs] of bySource) {
    const values = column(x, source);
    const indicators: number[] = [];
    for (const k of outputs) {
      const c = state.columns[k] as PreprocessColumn;
      if (c.kind === 'value') deviations[k] = numericDeviations(c, values, z, k, base);
      else indicators.push(k);
    }
    if (indicators.length === 0) continue;
    const ones = indicatorRows(indicators.map((k) => state.columns[k] as PreprocessColumn), values);
    indicators.forEach((k, s) => { deviations[k] = indicatorDeviations(state.columns[k] as PreprocessColumn, ones[s] as Int32Array, n, k, base); });
  }
  return { nRows: n, nCols: p, base, ...rowMajor(deviations, n) };
}

/**
 * The deviations row by row: count each row's, then fill block by block of rows, column by column
 * within a block (so columns ascend in a row and the writes stay in a cached stretch of col/val).
 */
function rowMajor(deviations: readonly Deviations[], n: number): Pick<ShiftedDesign, 'rowStart' | 'col' | 'val'> {
  const p = deviations.length;
  const rowStart = new Int32Array(n + 1);
  for (const { rows } of deviations) for (let r = 0; r < rows.length; r++) rowStart[(rows[r] as number) + 1]!++;
  for (let i = 0; i < n; i++) rowStart[i + 1]! += rowStart[i] as number;
  const nnz = rowStart[n] as number;
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  const next = rowStart.slice(0, n);
  const cursor = new Int32Array(p);
  for (let blockStart = 0; blockStart < n; blockStart += FILL_BLOCK) {
    const blockEnd = Math.min(n, blockStart + FILL_BLOCK);
    for (let k = 0; k < p; k++) {
      const { rows, values } = deviations[k] as Deviations;
      cursor[k] = typeof values === 'number'
        ? fillConstant(rows, cursor[k] as number, blockEnd, k, values, next, col, val)
        : fillValues(rows, cursor[k] as number, blockEnd, k, values, next, col, val);
    }
  }
  return { rowStart, col, val };
}

/** Writes column k's deviations of rows below `end`, from `r` on, all of value `v`; returns the next r. */
function fillConstant(rows: Int32Array, r: number, end: number, k: number, v: number, next: Int32Array, col: Int32Array, val: Float64Array): number {
  for (; r < rows.length && (rows[r] as number) < end; r++) {
    const at = next[rows[r] as number]!++;
    col[at] = k;
    val[at] = v;
  }
  return r;
}

/** Writes column k's deviations of rows below `end`, from `r` on, with their values; returns the next r. */
function fillValues(rows: Int32Array, r: number, end: number, k: number, values: Float64Array, next: Int32Array, col: Int32Array, val: Float64Array): number {
  for (; r < rows.length && (rows[r] as number) < end; r++) {
    const at = next[rows[r] as number]!++;
    col[at] = k;
    val[at] = values[r] as number;
  }
  return r;
}

/** A numeric column: standardised values in `z`, their majority value as baseline, the rest deviating. */
function numericDeviations(c: PreprocessColumn, values: Float64Array, z: Float64Array, k: number, base: Float64Array): Deviations {
  const n = values.length;
  const median = c.median as number;
  const lo = c.lo ?? -Infinity;
  const hi = c.hi ?? Infinity;
  const { mean, scale } = c;
  // Boyer–Moore majority vote, as shiftedDesign does on the dense column
  let candidate = 0;
  let votes = 0;
  for (let i = 0; i < n; i++) {
    let v = values[i] as number;
    if (Number.isNaN(v)) v = median;
    else if (v < lo) v = lo;
    else if (v > hi) v = hi;
    const zi = (v - mean) / scale;
    z[i] = zi;
    if (votes === 0) { candidate = zi; votes = 1; } else if (zi === candidate) votes++;
    else votes--;
  }
  let same = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    const zi = z[i] as number;
    if (zi === candidate) same++;
    if (zi === 0) zeros++;
  }
  const b = 2 * same >= n ? candidate : 0;
  base[k] = b;
  const count = n - (b === candidate ? same : zeros);
  const rows = new Int32Array(count);
  const dv = new Float64Array(count);
  let r = 0;
  for (let i = 0; i < n; i++) {
    const zi = z[i] as number;
    if (zi !== b) { rows[r] = i; dv[r] = zi - b; r++; }
  }
  return { rows, values: dv };
}

/**
 * For the one-hot and missing-indicator columns of one source column, the rows where each is 1,
 * in one pass: a row holds at most one level, or is missing.
 */
function indicatorRows(columns: readonly PreprocessColumn[], values: Float64Array): Int32Array[] {
  const n = values.length;
  let missingSlot = -1;
  const slotOf = new Map<number, number>();
  let maxCode = -1;
  columns.forEach((c, s) => {
    if (c.kind === 'missing') missingSlot = s;
    else {
      const level = c.level as number;
      slotOf.set(level, s);
      maxCode = Number.isInteger(level) && level >= 0 && level < 4096 && maxCode >= -1 ? Math.max(maxCode, level) : -2;
    }
  });
  // small integer codes (the usual case) index a table; others go through the map
  const table = new Int32Array(Math.max(maxCode + 1, 0)).fill(-1);
  if (maxCode >= 0) for (const [level, s] of slotOf) table[level] = s;
  const slots = new Int32Array(n);
  const counts = new Int32Array(columns.length);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    let s = -1;
    if (Number.isNaN(v)) s = missingSlot;
    else if (maxCode >= -1) {
      const code = v | 0;
      if (code === v && code >= 0 && code < table.length) s = table[code] as number;
    } else s = slotOf.get(v) ?? -1;
    slots[i] = s;
    if (s >= 0) counts[s]!++;
  }
  const rows = Array.from(counts, (c) => new Int32Array(c));
  const filled = new Int32Array(columns.length);
  for (let i = 0; i < n; i++) {
    const s = slots[i] as number;
    if (s >= 0) (rows[s] as Int32Array)[filled[s]!++] = i;
  }
  return rows;
}

/** A 0/1 column, 1 on rows `ones`: standardised to two values, the more frequent one the baseline. */
function indicatorDeviations(c: PreprocessColumn, ones: Int32Array, n: number, k: number, base: Float64Array): Deviations {
  const one = (1 - c.mean) / c.scale;
  const zero = (0 - c.mean) / c.scale;
  if (2 * ones.length <= n) {
    base[k] = zero;
    return { rows: ones, values: one - zero };
  }
  base[k] = one;
  const rows = new Int32Array(n - ones.length);
  let r = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (s < ones.length && ones[s] === i) s++;
    else rows[r++] = i;
  }
  return { rows, values: zero - one };
}
