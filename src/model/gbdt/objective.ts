/**
 * Binary log-loss in raw (log-odds) space with sample weights: for p = σ(score),
 * loss = −w [y log p + (1 − y) log(1 − p)], gradient w (p − y), hessian w p (1 − p).
 */
import { ValidationError } from '../../core/errors';

/**
 * `logLossRange(scores, y, weights, grad, hess, a, b)` fills grad and hess for rows [a, b), and
 * `logLossRows(scores, y, weights, grad, hess, rows, a, b)` for the rows listed in rows[a..b) (a
 * round's in-bag rows: the others' gradients are never read), as plain JavaScript source, so fit
 * workers (see histogram-kernel.ts) run the same text as the calling thread; `weights` of length 0
 * means unweighted. Hessians are floored at 1e-16 so a leaf of confident rows keeps a finite value.
 */
export const GRADIENT_SOURCE = `
function logLossRange(scores, y, weights, grad, hess, a, b) {
  var weighted = weights.length > 0;
  for (var i = a; i < b; i++) {
    // 1 / (1 + e^(-s)) is exact enough in both tails: e^(-s) overflows to Infinity, giving 0.
    var p = 1 / (1 + Math.exp(-scores[i]));
    var w = weighted ? weights[i] : 1;
    grad[i] = w * (p - y[i]);
    var h = p * (1 - p);
    hess[i] = w * (h > 1e-16 ? h : 1e-16);
  }
}
function logLossRows(scores, y, weights, grad, hess, rows, a, b) {
  var weighted = weights.length > 0;
  for (var i = a; i < b; i++) {
    var r = rows[i];
    var p = 1 / (1 + Math.exp(-scores[r]));
    var w = weighted ? weights[r] : 1;
    grad[r] = w * (p - y[r]);
    var h = p * (1 - p);
    hess[r] = w * (h > 1e-16 ? h : 1e-16);
  }
}
`;

type GradientKernel = (scores: Float64Array, y: Uint8Array, weights: Float64Array, grad: Float64Array, hess: Float64Array, a: number, b: number) => void;
type RowGradientKernel = (scores: Float64Array, y: Uint8Array, weights: Float64Array, grad: Float64Array, hess: Float64Array, rows: Int32Array, a: number, b: number) => void;

/** Compiles the gradient kernel for the calling thread. */
export function compileGradients(): GradientKernel {
  return new Function(`${GRADIENT_SOURCE}\nreturn logLossRange;`)() as GradientKernel;
}

/** Compiles the listed-rows gradient kernel for the calling thread. */
export function compileRowGradients(): RowGradientKernel {
  return new Function(`${GRADIENT_SOURCE}\nreturn logLossRows;`)() as RowGradientKernel;
}

const NO_WEIGHTS = new Float64Array(0);
let kernel: GradientKernel | null = null;

/** Fills grad and hess from the current raw scores. */
export function logLossGradients(scores: Float64Array, y: Uint8Array, weights: Float64Array | null, grad: Float64Array, hess: Float64Array): void {
  kernel ??= compileGradients();
  kernel(scores, y, weights ?? NO_WEIGHTS, grad, hess, 0, scores.length);
}

/** Log-odds of the weighted positive rate: the constant raw score minimising the log-loss. */
export function baseScore(y: Uint8Array, weights: Float64Array | null): number {
  let pos = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights ? (weights[i] as number) : 1;
    pos += w * (y[i] as number);
    total += w;
  }
  if (!(pos > 0 && pos < total)) {
    throw new ValidationError('gbdt training labels need both classes with positive weight', { context: { field: 'y' } });
  }
  return Math.log(pos / (total - pos));
}

/** Weighted mean log-loss of raw scores (computed in log space, so extreme scores stay finite). */
export function meanLogLoss(scores: Float64Array, y: Uint8Array, weights: Float64Array | null): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    const w = weights ? (weights[i] as number) : 1;
    // −log σ(s) = log(1 + e^{−s}), −log(1 − σ(s)) = log(1 + e^{s})
    const z = y[i] === 1 ? -s : s;
    sum += w * (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
    total += w;
  }
  return sum / total;
}
