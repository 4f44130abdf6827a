/**
 * The shifted design (column baselines plus sparse deviations, see shifted-design.ts) of
 * preprocessed rows, built from the raw rows and the fitted preprocessing without the dense
 * preprocessed matrix (`sourceColumns`, when given, are the input columns already copied out, read
 * instead of the row-major `x`). A one-hot or missing-indicator column holds two values: its baseline is the
 * more frequent one and its deviations are the rows holding the other, found in one pass over the
 * source column. A numeric column is imputed, clipped and standardised as applyPreprocessor does,
 * and its values are computed again row by row where they are written, so that the only large
 * arrays are the row-major deviations themselves (a million rows: half the memory of keeping each
 * column's deviations beside them).
 */
import type { FeatureMatrix } from './classifier';
import type { PreprocessColumn, PreprocessState } from './preprocess';
import { allocateDesign, type ShiftedDesign } from './shifted-design';

/** Rows per block of the row-major fill. */
const FILL_BLOCK = 4096;

/**
 * The shifted design of `applyPreprocessor(state, x)`: the same deviations, values and baselines
 * as `shiftedDesign` of that matrix (a two-valued column whose values tie on exactly half of the
 * rows may take the other baseline, which changes no sum).
 */
export function preprocessedDesign(state: PreprocessState, x: FeatureMatrix, sourceColumns?: readonly Float64Array[]): ShiftedDesign {
  if (x.nCols !== state.inputNames.length) throw new RangeError(`preprocessor expects ${state.inputNames.length} input columns, got ${x.nCols}`);
  const n = x.nRows;
  const q = x.nCols;
  const data = x.data;
  const columns = state.columns;
  const p = columns.length;
  const base = new Float64Array(p);
  const rowStart = new Int32Array(n + 1);
  // Per indicator column, the rows deviating from its baseline and their one deviation.
  const indicatorRowsOf: (Int32Array | null)[] = new Array<Int32Array | null>(p).fill(null);
  const indicatorValue = new Float64Array(p);
  const bySource = new Map<number, number[]>();
  columns.forEach((c, k) => bySource.set(c.source, [...(bySource.get(c.source) ?? []), k]));
  const copy = sourceColumns ? null : new Float64Array(n);
  const z = new Float64Array(n);
  for (const [source, outputs] of bySource) {
    let values: Float64Array;
    if (copy) {
      for (let i = 0, at = source; i < n; i++, at += q) copy[i] = data[at] as number;
      values = copy;
    } else values = sourceColumns?.[source] as Float64Array;
    const indicators: number[] = [];
    for (const k of outputs) {
      const c = columns[k] as PreprocessColumn;
      if (c.kind !== 'value') {
        indicators.push(k);
        continue;
      }
      const s = standardiser(c);
      for (let i = 0; i < n; i++) z[i] = standardised(s, values[i] as number);
      base[k] = countDeviations(z, rowStart);
    }
    if (indicators.length === 0) continue;
    const ones = indicatorRows(indicators.map((k) => columns[k] as PreprocessColumn), values);
    indicators.forEach((k, s) => {
      const d = indicatorDeviations(columns[k] as PreprocessColumn, ones[s] as Int32Array, n, k, base);
      indicatorRowsOf[k] = d.rows;
      indicatorValue[k] = d.value;
    });
  }

  // Each row's count of deviations (the numeric ones are counted above), then where its entries start.
  for (const rows of indicatorRowsOf) if (rows) for (let r = 0; r < rows.length; r++) rowStart[(rows[r] as number) + 1]!++;
  for (let i = 0; i < n; i++) rowStart[i + 1]! += rowStart[i] as number;
  // in a memory of its own, which the logistic kernels read without a copy
  const { rowStart: starts, col, val, memory } = allocateDesign(rowStart, p);
  // Block by block of rows, column by column within a block: each row's entries ascend by column
  // and the writes stay in a cached stretch of col/val; an indicator only visits its own rows.
  const next = rowStart.slice(0, n);
  const standardisers = columns.map((c) => (c.kind === 'value' ? standardiser(c) : null));
  const cursor = new Int32Array(p);
  for (let blockStart = 0; blockStart < n; blockStart += FILL_BLOCK) {
    const blockEnd = Math.min(n, blockStart + FILL_BLOCK);
    for (let k = 0; k < p; k++) {
      const rows = indicatorRowsOf[k];
      if (rows) {
        const v = indicatorValue[k] as number;
        let r = cursor[k] as number;
        for (; r < rows.length && (rows[r] as number) < blockEnd; r++) {
          const at = next[rows[r] as number]!++;
          col[at] = k;
          val[at] = v;
        }
        cursor[k] = r;
        continue;
      }
      const s = standardisers[k] as Standardiser;
      const b = base[k] as number;
      const source = sourceColumns?.[s.source];
      for (let i = blockStart, at = blockStart * q + s.source; i < blockEnd; i++, at += q) {
        const zi = standardised(s, source ? (source[i] as number) : (data[at] as number));
        if (zi !== b) {
          const to = next[i]!++;
          col[to] = k;
          val[to] = zi - b;
        }
      }
    }
  }
  return { nRows: n, nCols: p, base, rowStart: starts, col, val, memory };
}

/**
 * A numeric column's parameters, all of one shape: the loops below read them at one cost whatever
 * the kinds of the other columns (the state's columns come in three shapes).
 */
interface Standardiser {
  readonly source: number;
  readonly median: number;
  readonly lo: number;
  readonly hi: number;
  readonly mean: number;
  readonly scale: number;
}

function standardiser(c: PreprocessColumn): Standardiser {
  return { source: c.source, median: c.median as number, lo: c.lo ?? -Infinity, hi: c.hi ?? Infinity, mean: c.mean, scale: c.scale };
}

/** A numeric output value: imputed, clipped and standardised exactly as applyPreprocessor does. */
function standardised(s: Standardiser, v: number): number {
  if (Number.isNaN(v)) v = s.median;
  else if (v < s.lo) v = s.lo;
  else if (v > s.hi) v = s.hi;
  return (v - s.mean) / s.scale;
}

/**
 * The baseline of a numeric column, its majority value (Boyer–Moore vote, as shiftedDesign) or 0
 * when no value holds half of it, with one count added to rowStart[i + 1] per row i deviating from
 * it: counted against the vote's candidate while its votes are counted, and corrected in one more
 * pass when it holds fewer than half of the rows.
 */
function countDeviations(z: Float64Array, rowStart: Int32Array): number {
  let candidate = 0;
  let votes = 0;
  for (let i = 0; i < z.length; i++) {
    const v = z[i] as number;
    if (votes === 0) { candidate = v; votes = 1; } else if (v === candidate) votes++;
    else votes--;
  }
  let same = 0;
  for (let i = 0; i < z.length; i++) {
    if (z[i] === candidate) same++;
    else rowStart[i + 1]!++;
  }
  if (2 * same >= z.length || candidate === 0) return candidate;
  // no majority: the baseline is 0, so rows holding the candidate deviate and rows holding 0 do not
  for (let i = 0; i < z.length; i++) {
    const v = z[i] as number;
    if (v === candidate) rowStart[i + 1]!++;
    else if (v === 0) rowStart[i + 1]!--;
  }
  return 0;
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
function indicatorDeviations(c: PreprocessColumn, ones: Int32Array, n: number, k: number, base: Float64Array): { rows: Int32Array; value: number } {
  const one = (1 - c.mean) / c.scale;
  const zero = (0 - c.mean) / c.scale;
  if (2 * ones.length <= n) {
    base[k] = zero;
    return { rows: ones, value: one - zero };
  }
  base[k] = one;
  const rows = new Int32Array(n - ones.length);
  let r = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (s < ones.length && ones[s] === i) s++;
    else rows[r++] = i;
  }
  return { rows, value: zero - one };
}
