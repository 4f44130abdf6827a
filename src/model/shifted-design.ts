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

/** Below it, 1 + t rounds t off: log(1 + t) is summed as t − t²/2. */
const TINY = 2 ** -26;
/** A running product of factors in (1, 2] is logged and restarted past this (far from overflow). */
const PRODUCT_LIMIT = 2 ** 512;

/** Value and gradient of the objective at one point, with each row's curvature for its Hessian. */
export interface ShiftedPoint {
  /** Penalised weighted mean log-loss. */
  readonly value: number;
  /** Gradient over (b₀, b), in z coordinates. */
  readonly gradient: Float64Array;
  /** Per row, wᵢ·πᵢ(1 − πᵢ): what {@link shiftedHessian} weighs the rows with. */
  readonly curvature: Float64Array;
  /** Σ wᵢ. */
  readonly weightSum: number;
}

/**
 * Penalised weighted mean log-loss and its gradient over (b₀, b), in z coordinates, in one pass
 * over the deviations; each row's curvature is kept (in `curvature` when given) so the Hessian, when
 * another Newton step needs it, is one more pass without exponentials.
 */
export function shiftedValueGradient(
  d: ShiftedDesign, y: Uint8Array, w: Float64Array | undefined, l2: number, beta: Float64Array, curvature: Float64Array = new Float64Array(d.nRows),
): ShiftedPoint {
  const { nRows, nCols: p, base, rowStart, col, val } = d;
  // the intercept seen by the deviations: b₀ + Σ bⱼ baseⱼ
  let c0 = beta[0] as number;
  for (let j = 0; j < p; j++) c0 += (beta[j + 1] as number) * (base[j] as number);
  const b = beta.subarray(1);
  // gradient over the deviation columns; the intercept's entry is g0
  const gd = new Float64Array(p);
  let g0 = 0;
  let value = 0;
  let wsum = 0;
  // unweighted rows: Σ log(1 + tᵢ) as the log of their product, taken once the product nears 2^512
  // (each factor is in (1, 2]), so a row costs a multiplication, not a logarithm; a tᵢ below 2^-26,
  // which 1 + tᵢ would round away, adds tᵢ − tᵢ²/2 instead (log1p to the last bit there)
  let product = 1;
  let from = rowStart[0] as number;
  for (let i = 0; i < nRows; i++) {
    const to = rowStart[i + 1] as number;
    const wi = w === undefined ? 1 : (w[i] as number);
    if (wi === 0) {
      curvature[i] = 0;
      from = to;
      continue;
    }
    let e = c0;
    for (let k = from; k < to; k++) e += (b[col[k] as number] as number) * (val[k] as number);
    // σ(η) and log(1 + e^η) − y·η from one exponential, without overflow
    const t = Math.exp(-Math.abs(e));
    const inv = 1 / (1 + t);
    const pi = e >= 0 ? inv : t * inv;
    const yi = y[i] as number;
    if (w !== undefined) value += wi * ((e > 0 ? e : 0) + Math.log1p(t) - yi * e);
    else {
      value += (e > 0 ? e : 0) - yi * e;
      if (t < TINY) value += t - 0.5 * t * t;
      else {
        product *= 1 + t;
        if (product > PRODUCT_LIMIT) {
          value += Math.log(product);
          product = 1;
        }
      }
    }
    wsum += wi;
    const r = wi * (pi - yi);
    g0 += r;
    for (let k = from; k < to; k++) gd[col[k] as number]! += r * (val[k] as number);
    curvature[i] = wi * pi * (1 - pi);
    from = to;
  }
  value += Math.log(product);
  if (wsum <= 0) throw new RangeError('logistic fit needs at least one row with positive weight');
  // back to z = base + d: the intercept column is 1 in both, column j gains baseⱼ·g0
  const g = new Float64Array(p + 1);
  g[0] = g0 / wsum;
  let penalty = 0;
  for (let j = 0; j < p; j++) {
    const bj = b[j] as number;
    g[j + 1] = ((gd[j] as number) + (base[j] as number) * g0) / wsum + l2 * bj;
    penalty += bj * bj;
  }
  return { value: value / wsum + (l2 / 2) * penalty, gradient: g, curvature, weightSum: wsum };
}

/** The objective's Hessian over (b₀, b), in z coordinates, from the rows' curvatures at a point. */
export function shiftedHessian(d: ShiftedDesign, point: ShiftedPoint, l2: number): Float64Array {
  const { nRows, nCols: p, base, rowStart, col, val } = d;
  const { curvature, weightSum: wsum } = point;
  // in the coordinates (1, d): hd over the deviation columns (lower triangle), h0 = Σ c·d, h00 = Σ c
  const hd = new Float64Array(p * p);
  const h0 = new Float64Array(p);
  let h00 = 0;
  let from = rowStart[0] as number;
  for (let i = 0; i < nRows; i++) {
    const to = rowStart[i + 1] as number;
    const c = curvature[i] as number;
    h00 += c;
    for (let k = from; k < to; k++) {
      const a = col[k] as number;
      const va = val[k] as number;
      const ca = c * va;
      h0[a]! += ca;
      hd[a * p + a]! += ca * va;
      // the row's later columns are larger: entries (col[q], a) of the lower triangle
      for (let q = k + 1; q < to; q++) hd[(col[q] as number) * p + a]! += ca * (val[q] as number);
    }
    from = to;
  }
  // (T H_d Tᵀ) with T the map (1, d) → (1, z): T[a][a] = 1, T[a][0] = baseₐ
  const m = p + 1;
  const h = new Float64Array(m * m);
  h[0] = h00 / wsum;
  for (let a = 0; a < p; a++) {
    const sa = base[a] as number;
    const ha0 = h0[a] as number;
    const v0 = (ha0 + sa * h00) / wsum;
    h[(a + 1) * m] = v0;
    h[a + 1] = v0;
    for (let bb = 0; bb <= a; bb++) {
      const sb = base[bb] as number;
      const z = (hd[a * p + bb] as number) + sa * (h0[bb] as number) + sb * ha0 + sa * sb * h00;
      const v = z / wsum + (a === bb ? l2 : 0);
      h[(a + 1) * m + bb + 1] = v;
      h[(bb + 1) * m + a + 1] = v;
    }
  }
  return h;
}

/** Penalised weighted mean log-loss, gradient and (optionally) Hessian over (b₀, b), in z coordinates. */
export function shiftedObjective(
  d: ShiftedDesign, y: Uint8Array, w: Float64Array | undefined, l2: number, beta: Float64Array, withHessian: boolean,
): { value: number; gradient: Float64Array; hessian: Float64Array | null } {
  const point = shiftedValueGradient(d, y, w, l2, beta);
  return { value: point.value, gradient: point.gradient, hessian: withHessian ? shiftedHessian(d, point, l2) : null };
}
