/**
 * Logistic regression through the `ml-logistic-regression` package, used with its quirks handled:
 * - it has no intercept: a leading column of ones is added;
 * - its gradient is summed over rows, not averaged: the learning rate is (1/L)/n, L the curvature
 *   bound 0.25·λmax(XᵀX/n) of the mean log-loss;
 * - it has no sample weights and no L2 penalty: weighted datasets are refused;
 * - it runs a fixed number of steps from zero with no convergence test: the gradient of the mean
 *   log-loss is measured after training, and training restarts with 4× the steps until it falls
 *   under the tolerance or `maxSteps` is reached (then a warning, or an error on request);
 * - its one-vs-all wrapper trains one classifier per class (two for binary labels, mirror images):
 *   the wrapper's `load` yields its two-class classifier, which is trained once on y directly;
 *   probabilities are that classifier's `testScores`.
 * Features are whitened (Cholesky of their covariance) before training so that plain gradient
 * descent converges in hundreds of steps; coefficients are mapped back to the input space.
 */
import { Matrix } from 'ml-matrix';
import type { FeatureMatrix } from './classifier';
import { backSolveTransposed, cholesky, forwardSolve } from './linear-algebra';
import { logisticObjective, type LinearSolution } from './logistic-irls';

/** Options of {@link fitLogisticGradientDescent}. */
export interface GradientDescentOptions {
  /** Steps of the first attempt; each retry uses 4× more. @defaultValue 100 */
  readonly initialSteps?: number;
  /** Most steps of one attempt. @defaultValue 4000 */
  readonly maxSteps?: number;
  /** Converged when the mean log-loss gradient's max-abs entry is below this. @defaultValue 1e-4 */
  readonly tolerance?: number;
  /** What to do when not converged after `maxSteps`. @defaultValue 'warn' */
  readonly onNotConverged?: 'warn' | 'throw';
  /** Whiten features before training. @defaultValue true */
  readonly whiten?: boolean;
  /** Receives the non-convergence warning. @defaultValue console.warn */
  readonly warn?: (message: string) => void;
}

/** The solution with the package's step count. */
export interface GradientDescentSolution extends LinearSolution {
  /** Steps summed over every attempt (restarts included). */
  readonly totalSteps: number;
  readonly learningRate: number;
}

interface TwoClassTrainer {
  train(features: Matrix, target: Matrix): void;
  testScores(features: Matrix): number[];
  weights: Matrix | null;
}
interface OneVsAllStatic {
  load(model: unknown): { classifiers: TwoClassTrainer[] };
}
// the package ships no types; this is the part of its API used here
// eslint-disable-next-line @typescript-eslint/no-require-imports
const LogisticRegression = require('ml-logistic-regression') as OneVsAllStatic;

function twoClassTrainer(numSteps: number, learningRate: number): TwoClassTrainer {
  const wrapper = LogisticRegression.load({ name: 'LogisticRegression', numSteps, learningRate, numberClasses: 1, classifiers: [{ numSteps, learningRate, weights: null }] });
  const trainer = wrapper.classifiers[0];
  if (!trainer) throw new Error('ml-logistic-regression did not create its two-class classifier');
  return trainer;
}

/** Fits the logistic model (no penalty) with the package's gradient descent. */
export function fitLogisticGradientDescent(x: FeatureMatrix, y: Uint8Array, options: GradientDescentOptions = {}): GradientDescentSolution {
  const initialSteps = options.initialSteps ?? 100;
  const maxSteps = options.maxSteps ?? 4000;
  const tolerance = options.tolerance ?? 1e-4;
  if (!Number.isInteger(initialSteps) || initialSteps < 1) throw new RangeError(`initialSteps must be a positive integer, got ${initialSteps}`);
  if (!Number.isInteger(maxSteps) || maxSteps < initialSteps) throw new RangeError(`maxSteps must be an integer ≥ initialSteps, got ${maxSteps}`);
  if (!(tolerance > 0)) throw new RangeError(`tolerance must be > 0, got ${tolerance}`);
  const n = x.nRows;
  const p = x.nCols;
  const m = p + 1;
  const factor = options.whiten === false ? null : covarianceFactor(x);
  const design = new Matrix(n, m);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) row[j] = x.data[i * p + j] as number;
    const q = factor ? forwardSolve(factor, p, row) : row;
    design.set(i, 0, 1);
    for (let j = 0; j < p; j++) design.set(i, j + 1, q[j] as number);
  }
  const lambdaMax = largestEigenvalue(secondMoment(design), m);
  const learningRate = 1 / (0.25 * lambdaMax) / n;
  const target = Matrix.columnVector(Array.from(y));
  let steps = initialSteps;
  let totalSteps = 0;
  for (;;) {
    const trainer = twoClassTrainer(steps, learningRate);
    trainer.train(design, target);
    totalSteps += steps;
    const gamma = (trainer.weights as Matrix).to1DArray();
    const coefficients = factor ? backSolveTransposed(factor, p, Float64Array.from(gamma.slice(1))) : Float64Array.from(gamma.slice(1));
    const beta = new Float64Array(m);
    beta[0] = gamma[0] as number;
    beta.set(coefficients, 1);
    const objective = logisticObjective(x, y, undefined, 0, beta, false);
    let gmax = 0;
    for (const g of objective.gradient) gmax = Math.max(gmax, Math.abs(g));
    const converged = gmax <= tolerance;
    if (converged || steps >= maxSteps) {
      const solution = {
        intercept: beta[0] as number, coefficients, iterations: steps, totalSteps, learningRate, converged,
        gradientNorm: Math.hypot(...objective.gradient), objective: objective.value,
      };
      if (!converged) {
        const message = `ml-logistic-regression did not converge: gradient max-abs ${gmax.toExponential(2)} > tolerance ${tolerance} after ${steps} steps (maxSteps)`;
        if (options.onNotConverged === 'throw') throw new Error(message);
        (options.warn ?? console.warn)(message);
      }
      return solution;
    }
    steps = Math.min(maxSteps, steps * 4);
  }
}

/** Lower Cholesky factor of the columns' covariance (a small ridge when singular). */
function covarianceFactor(x: FeatureMatrix): Float64Array {
  const p = x.nCols;
  const n = x.nRows;
  const mean = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j] = (mean[j] as number) + (x.data[i * p + j] as number) / n;
  const c = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < p; a++) {
      const da = (x.data[i * p + a] as number) - (mean[a] as number);
      for (let b = 0; b <= a; b++) c[a * p + b] = (c[a * p + b] as number) + (da * ((x.data[i * p + b] as number) - (mean[b] as number))) / n;
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) c[b * p + a] = c[a * p + b] as number;
  for (let ridge = 1e-10; ; ridge *= 10) {
    const l = cholesky(c, p);
    if (l) return l;
    for (let a = 0; a < p; a++) c[a * p + a] = (c[a * p + a] as number) + ridge;
  }
}

function secondMoment(design: Matrix): Float64Array {
  const m = design.columns;
  const n = design.rows;
  const s = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    const r = design.getRow(i);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) s[a * m + b] = (s[a * m + b] as number) + ((r[a] as number) * (r[b] as number)) / n;
  }
  return s;
}

/** Largest eigenvalue of a symmetric positive-semidefinite matrix, by power iteration. */
export function largestEigenvalue(a: Float64Array, m: number): number {
  let v = new Float64Array(m).fill(1 / Math.sqrt(m));
  let lambda = 0;
  for (let it = 0; it < 500; it++) {
    const w = new Float64Array(m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) w[i] = (w[i] as number) + (a[i * m + j] as number) * (v[j] as number);
    const norm = Math.hypot(...w);
    if (norm === 0) return 0;
    const next = norm;
    v = w.map((x) => x / norm);
    if (Math.abs(next - lambda) <= 1e-10 * next) return next;
    lambda = next;
  }
  return lambda;
}
