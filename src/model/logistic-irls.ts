/**
 * Newton (IRLS) solver for L2-penalised, weighted logistic regression on a preprocessed matrix:
 * minimises (1/Σw) Σ wᵢ·logloss(yᵢ, σ(b₀ + xᵢ·b)) + (λ/2)‖b‖², the intercept b₀ unpenalised.
 * Each iteration solves the exact Newton system; a backtracking step keeps the objective falling
 * on separable data.
 */
import type { FeatureMatrix } from './classifier';
import { solveSpd } from './linear-algebra';

/** Options of {@link fitLogisticIrls}. */
export interface IrlsOptions {
  /** L2 penalty λ on the coefficients (not the intercept), per unit of mean loss. @defaultValue 1e-5 */
  readonly l2?: number;
  /** Stop when the gradient's max-abs entry falls below this. @defaultValue 1e-8 */
  readonly tolerance?: number;
  /** Most Newton iterations. @defaultValue 50 */
  readonly maxIterations?: number;
}

/** The solution and its convergence report. */
export interface LinearSolution {
  readonly intercept: number;
  readonly coefficients: Float64Array;
  readonly iterations: number;
  /** Euclidean norm of the objective's gradient at the solution. */
  readonly gradientNorm: number;
  readonly converged: boolean;
  /** Objective value at the solution. */
  readonly objective: number;
}

/** Penalised weighted mean log-loss and its gradient/Hessian over (b₀, b). */
export function logisticObjective(
  x: FeatureMatrix, y: Uint8Array, w: Float64Array | undefined, l2: number, beta: Float64Array, withHessian: boolean,
): { value: number; gradient: Float64Array; hessian: Float64Array | null } {
  return objectiveOnColumns(toColumns(x), x.nRows, y, w, l2, beta, withHessian);
}

/** The columns of a row-major matrix as contiguous arrays (faster inner loops). */
function toColumns(x: FeatureMatrix): Float64Array[] {
  const cols: Float64Array[] = [];
  for (let j = 0; j < x.nCols; j++) {
    const c = new Float64Array(x.nRows);
    for (let i = 0; i < x.nRows; i++) c[i] = x.data[i * x.nCols + j] as number;
    cols.push(c);
  }
  return cols;
}

/** Rows per block: the block's slices of every column stay in cache across the passes. */
const BLOCK = 2048;

function objectiveOnColumns(
  cols: Float64Array[], n: number, y: Uint8Array, w: Float64Array | undefined, l2: number, beta: Float64Array, withHessian: boolean,
): { value: number; gradient: Float64Array; hessian: Float64Array | null } {
  const p = cols.length;
  const m = p + 1;
  const g = new Float64Array(m);
  const h = withHessian ? new Float64Array(m * m) : null;
  const eta = new Float64Array(BLOCK);
  const r = new Float64Array(BLOCK);
  const curv = new Float64Array(BLOCK);
  const cz = new Float64Array(BLOCK);
  let value = 0;
  let wsum = 0;
  for (let start = 0; start < n; start += BLOCK) {
    const len = Math.min(BLOCK, n - start);
    eta.fill(beta[0] as number);
    for (let j = 0; j < p; j++) {
      const c = cols[j] as Float64Array;
      const b = beta[j + 1] as number;
      if (b !== 0) for (let k = 0; k < len; k++) eta[k] = (eta[k] as number) + b * (c[start + k] as number);
    }
    for (let k = 0; k < len; k++) {
      const i = start + k;
      const wi = w ? (w[i] as number) : 1;
      if (wi === 0) { r[k] = 0; curv[k] = 0; continue; }
      const e = eta[k] as number;
      // σ(η) and log(1 + e^η) − y·η from one exponential, without overflow
      const t = Math.exp(-Math.abs(e));
      const pi = e >= 0 ? 1 / (1 + t) : t / (1 + t);
      value += wi * ((e > 0 ? e : 0) + Math.log1p(t) - (y[i] as number) * e);
      wsum += wi;
      r[k] = wi * (pi - (y[i] as number));
      curv[k] = wi * pi * (1 - pi);
    }
    g[0] = (g[0] as number) + sum(r, len);
    for (let j = 0; j < p; j++) g[j + 1] = (g[j + 1] as number) + dot(r, cols[j] as Float64Array, start, len);
    if (!h) continue;
    h[0] = (h[0] as number) + sum(curv, len);
    for (let a = 0; a < p; a++) {
      const ca = cols[a] as Float64Array;
      for (let k = 0; k < len; k++) cz[k] = (curv[k] as number) * (ca[start + k] as number);
      h[(a + 1) * m] = (h[(a + 1) * m] as number) + sum(cz, len);
      for (let b = 0; b <= a; b++) h[(a + 1) * m + b + 1] = (h[(a + 1) * m + b + 1] as number) + dot(cz, cols[b] as Float64Array, start, len);
    }
  }
  if (wsum <= 0) throw new RangeError('logistic fit needs at least one row with positive weight');
  let penalty = 0;
  for (let a = 0; a < m; a++) {
    g[a] = (g[a] as number) / wsum + (a > 0 ? l2 * (beta[a] as number) : 0);
    if (a > 0) penalty += (beta[a] as number) ** 2;
  }
  value = value / wsum + (l2 / 2) * penalty;
  if (!h) return { value, gradient: g, hessian: null };
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      const v = (h[a * m + b] as number) / wsum + (a === b && a > 0 ? l2 : 0);
      h[a * m + b] = v;
      h[b * m + a] = v;
    }
  }
  return { value, gradient: g, hessian: h };
}

function sum(v: Float64Array, len: number): number {
  let s = 0;
  for (let k = 0; k < len; k++) s += v[k] as number;
  return s;
}

/** Σ u[k]·v[start + k] over k < len. */
function dot(u: Float64Array, v: Float64Array, start: number, len: number): number {
  let s = 0;
  for (let k = 0; k < len; k++) s += (u[k] as number) * (v[start + k] as number);
  return s;
}

/** Fits the logistic model by Newton's method. */
export function fitLogisticIrls(x: FeatureMatrix, y: Uint8Array, weights: Float64Array | undefined, options: IrlsOptions = {}): LinearSolution {
  const l2 = options.l2 ?? 1e-5;
  const tolerance = options.tolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 50;
  if (!(l2 >= 0)) throw new RangeError(`l2 must be ≥ 0, got ${l2}`);
  if (!(tolerance > 0)) throw new RangeError(`tolerance must be > 0, got ${tolerance}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new RangeError(`maxIterations must be a positive integer, got ${maxIterations}`);
  const m = x.nCols + 1;
  let beta = new Float64Array(m);
  // start at the weighted base rate: one Newton step fewer, and no overflow on rare classes
  let pos = 0;
  let tot = 0;
  for (let i = 0; i < x.nRows; i++) {
    const wi = weights ? (weights[i] as number) : 1;
    pos += wi * (y[i] as number);
    tot += wi;
  }
  const rate = Math.min(1 - 1e-9, Math.max(1e-9, pos / tot));
  beta[0] = Math.log(rate / (1 - rate));
  const cols = toColumns(x);
  const evaluate = (b: Float64Array, withHessian: boolean) => objectiveOnColumns(cols, x.nRows, y, weights, l2, b, withHessian);
  let current = evaluate(beta, true);
  let iterations = 0;
  while (iterations < maxIterations && maxAbs(current.gradient) > tolerance) {
    iterations++;
    const step = solveSpd(current.hessian as Float64Array, m, current.gradient);
    let t = 1;
    let next = current;
    let candidate = beta;
    for (let halving = 0; halving < 30; halving++) {
      candidate = beta.map((b, a) => b - t * (step[a] as number));
      // the Hessian (the costly part) only once a step is accepted and another one is needed
      next = evaluate(candidate, false);
      if (next.value <= current.value + 1e-14 * Math.abs(current.value)) break;
      t /= 2;
    }
    const stalled = Math.abs(current.value - next.value) <= 1e-15 * Math.max(1, Math.abs(current.value));
    beta = candidate;
    current = next;
    if (stalled) break;
    if (iterations < maxIterations && maxAbs(current.gradient) > tolerance) current = evaluate(beta, true);
  }
  const gradientNorm = Math.hypot(...current.gradient);
  return {
    intercept: beta[0] as number,
    coefficients: beta.slice(1),
    iterations,
    gradientNorm,
    converged: maxAbs(current.gradient) <= tolerance,
    objective: current.value,
  };
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return m;
}
