/** Log-loss gradients and hessians against finite differences of the loss itself. */
import { sigmoid } from '../../../src/model/classifier';
import { baseScore, logLossGradients, meanLogLoss } from '../../../src/model/gbdt/objective';

/** −w [y log σ(s) + (1 − y) log(1 − σ(s))], written directly from the definition. */
function loss(s: number, y: number, w: number): number {
  const p = sigmoid(s);
  return -w * (y * Math.log(p) + (1 - y) * Math.log(1 - p));
}

describe('log-loss objective', () => {
  const scores = Float64Array.from([-3, -0.7, 0, 0.2, 1.5, 4]);
  const y = Uint8Array.from([0, 1, 1, 0, 1, 0]);
  const weights = Float64Array.from([1, 2, 0.5, 3, 1, 0.25]);

  it('gradient and hessian are the first and second derivatives of the weighted loss', () => {
    const grad = new Float64Array(6);
    const hess = new Float64Array(6);
    logLossGradients(scores, y, weights, grad, hess);
    const h = 1e-4;
    for (let i = 0; i < 6; i++) {
      const [s, yi, w] = [scores[i]!, y[i]!, weights[i]!];
      const d1 = (loss(s + h, yi, w) - loss(s - h, yi, w)) / (2 * h);
      const d2 = (loss(s + h, yi, w) - 2 * loss(s, yi, w) + loss(s - h, yi, w)) / (h * h);
      expect(grad[i]).toBeCloseTo(d1, 7);
      expect(hess[i]).toBeCloseTo(d2, 5);
    }
  });

  it('without weights, gradient is p − y and hessian p(1 − p)', () => {
    const grad = new Float64Array(6);
    const hess = new Float64Array(6);
    logLossGradients(scores, y, null, grad, hess);
    expect(grad[2]).toBeCloseTo(-0.5, 15);
    expect(hess[2]).toBeCloseTo(0.25, 15);
    expect(grad[5]).toBeCloseTo(1 / (1 + Math.exp(-4)), 15);
  });

  it('σ is within a few units in the last place of 1 / (1 + Math.exp(−s)) from −800 to 800', () => {
    const s: number[] = [0, -0, 1e-300, -1e-12, 0.3465, -0.3466, 36.7, -36.7, 708, -708, 709.5, -745, 800, -800];
    for (let k = 0; k < 4000; k++) s.push(-800 + 0.4 * k + 0.0001 * k * k * 1e-3);
    const scores = Float64Array.from(s);
    const n = scores.length;
    const grad = new Float64Array(n);
    const hess = new Float64Array(n);
    logLossGradients(scores, new Uint8Array(n), null, grad, hess);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const reference = 1 / (1 + Math.exp(-scores[i]!));
      // below 1e-307 the argument is clamped: σ stays positive and tiny
      if (reference < 1e-300) {
        expect(grad[i]).toBeGreaterThanOrEqual(0);
        expect(grad[i]).toBeLessThan(1e-300);
        continue;
      }
      worst = Math.max(worst, Math.abs(grad[i]! - reference) / reference);
      expect(hess[i]).toBeGreaterThanOrEqual(1e-16);
    }
    expect(worst).toBeLessThan(1e-15);
    expect(grad[0]).toBe(0.5);
  });

  it('base score is the weighted log-odds, where the constant model has zero gradient', () => {
    const b = baseScore(y, weights);
    // positives: 2 + 0.5 + 1 = 3.5; negatives: 1 + 3 + 0.25 = 4.25
    expect(b).toBeCloseTo(Math.log(3.5 / 4.25), 14);
    const grad = new Float64Array(6);
    logLossGradients(new Float64Array(6).fill(b), y, weights, grad, new Float64Array(6));
    expect(Math.abs(grad.reduce((a, c) => a + c, 0))).toBeLessThan(1e-12);
    expect(() => baseScore(Uint8Array.from([0, 0]), null)).toThrow(/both classes/);
  });

  it('mean log-loss matches the definition and stays finite for extreme scores', () => {
    let direct = 0;
    for (let i = 0; i < 6; i++) direct += loss(scores[i]!, y[i]!, weights[i]!);
    expect(meanLogLoss(scores, y, weights)).toBeCloseTo(direct / 7.75, 12);
    expect(meanLogLoss(Float64Array.from([-800]), Uint8Array.from([1]), null)).toBeCloseTo(800, 9);
  });
});
