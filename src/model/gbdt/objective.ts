/**
 * Binary log-loss in raw (log-odds) space with sample weights: for p = σ(score),
 * loss = −w [y log p + (1 − y) log(1 − p)], gradient w (p − y), hessian w p (1 − p).
 */
import { ValidationError } from '../../core/errors';
import { instantiateFitKernels, kernelMemory, memoryLayout } from '../fit-kernels';

/**
 * Gradients and hessians of the log-loss from raw scores, by the fit's own kernel
 * (fit-kernels.wat: σ with its own e^x, hessians floored at 1e-16). Copies in and out of a
 * memory of its own; fits run the kernel in place on their shared memory.
 */
export function logLossGradients(scores: Float64Array, y: Uint8Array, weights: Float64Array | null, grad: Float64Array, hess: Float64Array): void {
  const n = scores.length;
  const at = memoryLayout({ rows: n * 4, scores: n * 8, grad: n * 8, hess: n * 8, weights: n * 8, labels: n });
  const memory = kernelMemory(at.bytes, (gib) => new RangeError(`${n} rows' gradients need ${gib} GiB`));
  const buffer = memory.buffer;
  const rows = new Int32Array(buffer, at.rows, n);
  for (let i = 0; i < n; i++) rows[i] = i;
  new Float64Array(buffer, at.scores, n).set(scores);
  new Uint8Array(buffer, at.labels, n).set(y.subarray(0, n));
  if (weights) new Float64Array(buffer, at.weights, n).set(weights.subarray(0, n));
  instantiateFitKernels(memory).gradients(at.scores, at.labels, at.weights, weights ? 1 : 0, at.grad, at.hess, at.rows, 0, n);
  grad.set(new Float64Array(buffer, at.grad, n));
  hess.set(new Float64Array(buffer, at.hess, n));
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
