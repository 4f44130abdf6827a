/**
 * A design matrix as a baseline per column plus sparse deviations from it, for the logistic
 * solvers. After one-hot encoding and standardisation most columns hold one value (the
 * standardised 0 of a dummy, or of a missing indicator) in most rows: z = base + d with d sparse.
 * The log-loss, its gradient and its Hessian are then accumulated over the non-zero deviations of
 * each row only, in the coordinates (1, d), and mapped back to (1, z) exactly: with T the linear map
 * (1, d) → (1, z), g_z = T g_d and H_z = T H_d Tᵀ. A Newton step costs Σᵢ nnzᵢ² instead of n·p².
 */
import type { FeatureMatrix } from './classifier';

/** Column baselines and the row-major sparse deviations from them. */
export interface ShiftedDesign {
  readonly nRows: number;
  readonly nCols: number;
  /** Per column, the value most rows hold (when one value holds half of them), else 0. */
  readonly base: Float64Array;
  /** Row i's deviations are entries rowStart[i]..rowStart[i+1) of col/val, columns ascending. */
  readonly rowStart: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
}

/** The majority value of column j, or 0 when no value holds at least half of the rows. */
function majority(x: FeatureMatrix, j: number): number {
  const { nRows, nCols, data } = x;
  let candidate = 0;
  let votes = 0;
  for (let i = 0; i < nRows; i++) {
    const v = data[i * nCols + j] as number;
    if (votes === 0) { candidate = v; votes = 1; } else if (v === candidate) votes++;
    else votes--;
  }
  let count = 0;
  for (let i = 0; i < nRows; i++) if (data[i * nCols + j] === candidate) count++;
  return 2 * count >= nRows ? candidate : 0;
}

/** Splits a row-major matrix into column baselines and sparse deviations. */
export function shiftedDesign(x: FeatureMatrix): ShiftedDesign {
  const { nRows, nCols, data } = x;
  const base = new Float64Array(nCols);
  for (let j = 0; j < nCols; j++) base[j] = majority(x, j);
  const rowStart = new Int32Array(nRows + 1);
  let nnz = 0;
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) if (data[i * nCols + j] !== base[j]) nnz++;
    rowStart[i + 1] = nnz;
  }
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let k = 0;
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) {
      const v = data[i * nCols + j] as number;
      if (v !== base[j]) { col[k] = j; val[k] = v - (base[j] as number); k++; }
    }
  }
  return { nRows, nCols, base, rowStart, col, val };
}

/** Penalised weighted mean log-loss, gradient and (optionally) Hessian over (b₀, b), in z coordinates. */
export function shiftedObjective(
  d: ShiftedDesign, y: Uint8Array, w: Float64Array | undefined, l2: number, beta: Float64Array, withHessian: boolean,
): { value: number; gradient: Float64Array; hessian: Float64Array | null } {
  const { nRows, nCols: p, base, rowStart, col, val } = d;
  const m = p + 1;
  // the intercept seen by the deviations: b₀ + Σ bⱼ baseⱼ
  let c0 = beta[0] as number;
  for (let j = 0; j < p; j++) c0 += (beta[j + 1] as number) * (base[j] as number);
  const gd = new Float64Array(m);
  const hd = withHessian ? new Float64Array(m * m) : null;
  let value = 0;
  let wsum = 0;
  for (let i = 0; i < nRows; i++) {
    const wi = w ? (w[i] as number) : 1;
    if (wi === 0) continue;
    const from = rowStart[i] as number;
    const to = rowStart[i + 1] as number;
    let e = c0;
    for (let k = from; k < to; k++) e += (beta[(col[k] as number) + 1] as number) * (val[k] as number);
    // σ(η) and log(1 + e^η) − y·η from one exponential, without overflow
    const t = Math.exp(-Math.abs(e));
    const pi = e >= 0 ? 1 / (1 + t) : t / (1 + t);
    const yi = y[i] as number;
    value += wi * ((e > 0 ? e : 0) + Math.log1p(t) - yi * e);
    wsum += wi;
    const r = wi * (pi - yi);
    gd[0] = (gd[0] as number) + r;
    for (let k = from; k < to; k++) gd[(col[k] as number) + 1]! += r * (val[k] as number);
    if (!hd) continue;
    const c = wi * pi * (1 - pi);
    hd[0] = (hd[0] as number) + c;
    for (let k = from; k < to; k++) {
      const row = ((col[k] as number) + 1) * m;
      const ca = c * (val[k] as number);
      hd[row]! += ca;
      for (let q = from; q <= k; q++) hd[row + (col[q] as number) + 1]! += ca * (val[q] as number);
    }
  }
  if (wsum <= 0) throw new RangeError('logistic fit needs at least one row with positive weight');
  // back to z = base + d: shift[0] = 0 (the intercept column is 1 in both)
  const shift = new Float64Array(m);
  shift.set(base, 1);
  const g = new Float64Array(m);
  let penalty = 0;
  for (let a = 0; a < m; a++) {
    g[a] = ((gd[a] as number) + (shift[a] as number) * (gd[0] as number)) / wsum + (a > 0 ? l2 * (beta[a] as number) : 0);
    if (a > 0) penalty += (beta[a] as number) ** 2;
  }
  value = value / wsum + (l2 / 2) * penalty;
  if (!hd) return { value, gradient: g, hessian: null };
  const h = new Float64Array(m * m);
  const h00 = hd[0] as number;
  for (let a = 0; a < m; a++) {
    const sa = shift[a] as number;
    const ha0 = hd[a * m] as number;
    for (let b = 0; b <= a; b++) {
      const sb = shift[b] as number;
      // (T H_d Tᵀ)[a][b] with T[a][a] = 1, T[a][0] = shift[a]; H_d's row 0 holds Σ c·d_a
      const z = b === 0 ? ha0 + sa * h00 : (hd[a * m + b] as number) + sa * (hd[b * m] as number) + sb * ha0 + sa * sb * h00;
      const v = z / wsum + (a === b && a > 0 ? l2 : 0);
      h[a * m + b] = v;
      h[b * m + a] = v;
    }
  }
  return { value, gradient: g, hessian: h };
}
