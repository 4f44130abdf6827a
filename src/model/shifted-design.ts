/**
 * A design matrix as a baseline per column plus sparse deviations from it, for the logistic
 * solvers. After one-hot encoding and standardisation most columns hold one value (the
 * standardised 0 of a dummy, or of a missing indicator) in most rows: z = base + d with d sparse.
 * The log-loss, its gradient and its Hessian are then accumulated over the non-zero deviations of
 * each row only, in the coordinates (1, d), and mapped back to (1, z) exactly: with T the linear map
 * (1, d) → (1, z), g_z = T g_d and H_z = T H_d Tᵀ. A Newton step costs Σᵢ nnzᵢ² instead of n·p².
 */
import type { FeatureMatrix } from './classifier';
import { instantiateFitKernels, kernelMemory, memoryLayout, type FitKernels } from './fit-kernels';

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
  /** The memory rowStart, col and val are views of, when the design was built for the kernels. */
  readonly memory?: DesignMemory;
}

/** Byte offsets of a design's arrays, and of what the fit's passes need beside them, in its memory. */
type DesignLayout = ReturnType<typeof designLayout>;

/** A WebAssembly memory holding a design, with room for the logistic kernels' passes over it. */
export interface DesignMemory {
  readonly memory: WebAssembly.Memory;
  readonly at: DesignLayout;
}

function designLayout(n: number, p: number, nnz: number) {
  return memoryLayout({
    rowStart: (n + 1) * 4,
    col: nnz * 4,
    val: nnz * 8,
    labels: n,
    weights: n * 8,
    curvature0: n * 8,
    curvature1: n * 8,
    b: p * 8,
    gd: p * 8,
    hd: p * p * 8,
    h0: p * 8,
    out: 8 * 8,
  });
}

/**
 * A design of `rowStart[n]` deviations over `nCols` columns, allocated in a memory of its own for
 * the logistic kernels (so a fit does not copy it): rowStart is copied in, col and val are the
 * caller's to fill.
 */
export function allocateDesign(rowStart: Int32Array, nCols: number): { rowStart: Int32Array; col: Int32Array; val: Float64Array; memory: DesignMemory } {
  const n = rowStart.length - 1;
  const nnz = rowStart[n] as number;
  const at = designLayout(n, nCols, nnz);
  const memory = kernelMemory(at.bytes, (gib) => new RangeError(`a logistic design of ${n} rows and ${nnz} non-zero deviations needs ${gib} GiB, more than the 4 GiB one fit can address`));
  const buffer = memory.buffer;
  const inMemory = new Int32Array(buffer, at.rowStart, n + 1);
  inMemory.set(rowStart);
  return { rowStart: inMemory, col: new Int32Array(buffer, at.col, nnz), val: new Float64Array(buffer, at.val, nnz), memory: { memory, at } };
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
  const { rowStart: starts, col, val, memory } = allocateDesign(rowStart, nCols);
  let k = 0;
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) {
      const v = data[i * nCols + j] as number;
      if (v !== base[j]) { col[k] = j; val[k] = v - (base[j] as number); k++; }
    }
  }
  return { nRows, nCols, base, rowStart: starts, col, val, memory };
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
  return pointInZ(d, l2, b, value, g0, gd, wsum, curvature);
}

/**
 * The point in z = base + d coordinates from the sums over the deviations: the intercept column is
 * 1 in both, column j gains baseⱼ·g0.
 */
function pointInZ(d: ShiftedDesign, l2: number, b: Float64Array, value: number, g0: number, gd: Float64Array, wsum: number, curvature: Float64Array): ShiftedPoint {
  const { nCols: p, base } = d;
  if (wsum <= 0) throw new RangeError('logistic fit needs at least one row with positive weight');
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
  return hessianInZ(d, hd, h0, h00, wsum, l2);
}

/** (T H_d Tᵀ) / Σw + λI with T the map (1, d) → (1, z): T[a][a] = 1, T[a][0] = baseₐ. */
function hessianInZ(d: ShiftedDesign, hd: Float64Array, h0: Float64Array, h00: number, wsum: number, l2: number): Float64Array {
  const { nCols: p, base } = d;
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

/**
 * The logistic fit's passes over one design by the WebAssembly kernels (fit-kernels.wat): the same
 * sums as {@link shiftedValueGradient} and {@link shiftedHessian}, which stay as their written
 * definition (tests hold the two together). The design's own memory is used when it has one, else
 * the design is copied into a new one. Two curvature buffers live in the memory: a point's
 * curvature is one of {@link curvatures}.
 */
export class ShiftedPasses {
  readonly curvatures: readonly [Float64Array, Float64Array];
  private readonly kernels: FitKernels;
  private readonly at: DesignLayout;
  private readonly buffer: ArrayBuffer | SharedArrayBuffer;
  private readonly weighted: number;

  constructor(readonly design: ShiftedDesign, y: Uint8Array, w: Float64Array | undefined) {
    const { nRows: n, nCols: p } = design;
    let held = design.memory;
    if (!held) {
      const copy = allocateDesign(design.rowStart, p);
      copy.col.set(design.col);
      copy.val.set(design.val);
      held = copy.memory;
    }
    const { memory, at } = held;
    this.at = at;
    this.buffer = memory.buffer;
    this.kernels = instantiateFitKernels(memory);
    new Uint8Array(this.buffer, at.labels, n).set(y.subarray(0, n));
    this.weighted = w ? 1 : 0;
    if (w) new Float64Array(this.buffer, at.weights, n).set(w.subarray(0, n));
    this.curvatures = [new Float64Array(this.buffer, at.curvature0, n), new Float64Array(this.buffer, at.curvature1, n)];
  }

  /** Value, gradient and the rows' curvatures (into one of {@link curvatures}) at `beta`. */
  valueGradient(l2: number, beta: Float64Array, into: Float64Array = this.curvatures[0]): ShiftedPoint {
    const { design: d, at, buffer } = this;
    const p = d.nCols;
    if (into !== this.curvatures[0] && into !== this.curvatures[1]) throw new RangeError('curvature must go into one of the passes\' buffers');
    let c0 = beta[0] as number;
    for (let j = 0; j < p; j++) c0 += (beta[j + 1] as number) * (d.base[j] as number);
    const b = beta.subarray(1);
    new Float64Array(buffer, at.b, p).set(b);
    const gd = new Float64Array(buffer, at.gd, p);
    gd.fill(0);
    this.kernels.logisticValueGradient(at.rowStart, at.col, at.val, d.nRows, at.labels, at.weights, this.weighted, c0, at.b, at.gd, into.byteOffset, at.out);
    const out = new Float64Array(buffer, at.out, 5);
    const value = (out[0] as number) + (out[4] as number) * Math.LN2 + Math.log(out[3] as number);
    return pointInZ(d, l2, b, value, out[1] as number, gd, out[2] as number, into);
  }

  /** The Hessian over (b₀, b), in z coordinates, from a point's curvatures. */
  hessian(point: ShiftedPoint, l2: number): Float64Array {
    const { design: d, at, buffer } = this;
    const p = d.nCols;
    if (point.curvature !== this.curvatures[0] && point.curvature !== this.curvatures[1]) throw new RangeError('the point was not computed by these passes');
    const hd = new Float64Array(buffer, at.hd, p * p);
    const h0 = new Float64Array(buffer, at.h0, p);
    hd.fill(0);
    h0.fill(0);
    this.kernels.logisticHessian(at.rowStart, at.col, at.val, d.nRows, point.curvature.byteOffset, p, at.hd, at.h0, at.out);
    return hessianInZ(d, hd, h0, new Float64Array(buffer, at.out, 1)[0] as number, point.weightSum, l2);
  }
}
