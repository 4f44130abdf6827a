import { Rng } from '../../src/core/rng';
import { applyCalibrator, fitCalibrator, fitIsotonic, fitPlatt, reliabilityCurve } from '../../src/model/calibration';

describe('isotonic calibration (pool adjacent violators)', () => {
  test('pools the violating pair of a hand example', () => {
    const s = fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]);
    expect(s).toEqual({ kind: 'isotonic', thresholds: [0.1, 0.2, 0.4], values: [0, 0.5, 1] });
    expect(Array.from(applyCalibrator(s, [0, 0.15, 0.25, 0.35, 0.9]))).toEqual([0, 0, 0.5, 0.5, 1]);
  });

  test('is the least-squares non-decreasing fit: no monotone perturbation does better', () => {
    const rng = new Rng(3);
    const p = Array.from({ length: 60 }, () => Math.round(rng.next() * 20) / 20);
    const y = p.map((v) => (rng.bernoulli(v) ? 1 : 0));
    const s = fitIsotonic(p, y);
    if (s.kind !== 'isotonic') throw new Error('expected an isotonic state');
    const fitted = applyCalibrator(s, p);
    const sse = (f: ArrayLike<number>) => y.reduce((a: number, v, i) => a + (v - f[i]!) ** 2, 0);
    const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
    for (let k = 1; k < order.length; k++) expect(fitted[order[k]!]!).toBeGreaterThanOrEqual(fitted[order[k - 1]!]!);
    for (const delta of [-0.01, 0.01]) {
      for (let b = 0; b < s.thresholds.length; b++) {
        const moved = fitted.map((v) => (v === s.values[b] ? v + delta : v));
        expect(sse(moved)).toBeGreaterThanOrEqual(sse(fitted) - 1e-12);
      }
    }
  });
});

describe('Platt scaling', () => {
  test('with two distinct scores the MLE reproduces each group rate (closed form)', () => {
    const p = [...Array(40).fill(0.2), ...Array(60).fill(0.7)];
    const y = [...Array(40).fill(0).map((_, i) => (i < 6 ? 1 : 0)), ...Array(60).fill(0).map((_, i) => (i < 33 ? 1 : 0))];
    const out = applyCalibrator(fitPlatt(p, y), [0.2, 0.7]);
    expect(out[0]).toBeCloseTo(6 / 40, 8);
    expect(out[1]).toBeCloseTo(33 / 60, 8);
    expect(fitCalibrator('none', p, y)).toEqual({ kind: 'none' });
    expect(() => fitCalibrator('beta' as never, p, y)).toThrow(/calibration/);
  });
});

describe('reliability curve', () => {
  test('bins, mean prediction and observed rate by hand', () => {
    const p = [0.05, 0.15, 0.12, 0.95, 0.91];
    const y = [0, 1, 0, 1, 1];
    const curve = reliabilityCurve(y, p, 10);
    expect(curve.map((b) => [b.lo, b.count])).toEqual([[0, 1], [0.1, 2], [0.9, 2]]);
    expect(curve[1]!.meanPredicted).toBeCloseTo(0.135, 12);
    expect(curve[1]!.observedRate).toBe(0.5);
    const q = reliabilityCurve(y, p, 2, 'quantile');
    expect(q.map((b) => b.count)).toEqual([3, 2]);
  });
});
