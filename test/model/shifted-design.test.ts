/** The sparse (baseline + deviations) logistic objective against the textbook dense sums. */
import { Rng } from '../../src/core/rng';
import { ShiftedPasses, shiftedDesign, shiftedObjective } from '../../src/model/shifted-design';

function denseReference(data: Float64Array, n: number, p: number, y: Uint8Array, w: Float64Array, l2: number, beta: Float64Array) {
  const m = p + 1;
  const g = new Float64Array(m);
  const h = new Float64Array(m * m);
  let value = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const z = [1, ...data.subarray(i * p, (i + 1) * p)];
    const eta = z.reduce((s, v, a) => s + v * (beta[a] as number), 0);
    const pi = 1 / (1 + Math.exp(-eta));
    const wi = w[i] as number;
    value += wi * -((y[i] as number) * Math.log(pi) + (1 - (y[i] as number)) * Math.log(1 - pi));
    wsum += wi;
    for (let a = 0; a < m; a++) {
      g[a]! += (wi * (pi - (y[i] as number)) * (z[a] as number));
      for (let b = 0; b < m; b++) h[a * m + b]! += wi * pi * (1 - pi) * (z[a] as number) * (z[b] as number);
    }
  }
  let penalty = 0;
  for (let a = 0; a < m; a++) {
    g[a] = (g[a] as number) / wsum + (a > 0 ? l2 * (beta[a] as number) : 0);
    if (a > 0) penalty += (beta[a] as number) ** 2;
    for (let b = 0; b < m; b++) h[a * m + b] = (h[a * m + b] as number) / wsum + (a === b && a > 0 ? l2 : 0);
  }
  return { value: value / wsum + (l2 / 2) * penalty, gradient: g, hessian: h };
}

describe('shifted design', () => {
  it('gives the dense value, gradient and Hessian on standardised one-hot, indicator and numeric columns', () => {
    const rng = new Rng(5);
    const n = 300;
    const p = 6;
    const data = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      const level = rng.int(10) < 7 ? 0 : 1 + rng.int(2);
      data[i * p] = level === 1 ? 2.1 : -0.4; // dummies of one categorical: a baseline, rare other values
      data[i * p + 1] = level === 2 ? 3.3 : -0.3;
      data[i * p + 2] = rng.bernoulli(0.1) ? 2.9 : -0.35; // missing indicator
      data[i * p + 3] = rng.normal(); // dense numeric: no majority value
      data[i * p + 4] = rng.bernoulli(0.6) ? 999 : rng.int(5); // sentinel majority value
      data[i * p + 5] = 0.7; // constant
    }
    const y = Uint8Array.from({ length: n }, () => (rng.bernoulli(0.3) ? 1 : 0));
    const w = Float64Array.from({ length: n }, () => (rng.bernoulli(0.1) ? 0 : 0.5 + rng.next()));
    const beta = Float64Array.from({ length: p + 1 }, () => rng.normal() * 0.3);
    beta[5] = 0.001; // keep η of the 999 sentinel moderate
    const design = shiftedDesign({ nRows: n, nCols: p, data });
    expect(Array.from(design.base)).toEqual([-0.4, -0.3, -0.35, 0, 999, 0.7]);
    const got = shiftedObjective(design, y, w, 0.01, beta, true);
    const want = denseReference(data, n, p, y, w, 0.01, beta);
    expect(got.value).toBeCloseTo(want.value, 10);
    got.gradient.forEach((v, a) => expect(v).toBeCloseTo(want.gradient[a] as number, 9));
    got.hessian!.forEach((v, a) => expect(v).toBeCloseTo(want.hessian[a] as number, 7));
    // the kernels' passes, which the fits use
    const passes = new ShiftedPasses(design, y, w);
    const point = passes.valueGradient(0.01, beta);
    expect(point.value).toBeCloseTo(want.value, 10);
    point.gradient.forEach((v, a) => expect(v).toBeCloseTo(want.gradient[a] as number, 9));
    passes.hessian(point, 0.01).forEach((v, a) => expect(v).toBeCloseTo(want.hessian[a] as number, 7));
    // the same design copied into a memory of its own gives the same numbers
    const copied = new ShiftedPasses({ ...design, memory: undefined }, y, w).valueGradient(0.01, beta, undefined);
    expect(copied.value).toBe(point.value);
    expect(Array.from(copied.gradient)).toEqual(Array.from(point.gradient));
  });

  it('without weights sums the log-loss as the weighted path and as log1p row by row, scores from −60 to 60', () => {
    // unweighted rows take their logarithms as the log of a running product: the value must not move
    const rng = new Rng(8);
    const n = 50_000;
    const data = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? (rng.next() - 0.5) * 120 : rng.normal()));
    const y = Uint8Array.from({ length: n }, () => (rng.bernoulli(0.4) ? 1 : 0));
    const beta = Float64Array.from([0.2, 1]);
    const design = shiftedDesign({ nRows: n, nCols: 1, data });
    const unweighted = shiftedObjective(design, y, undefined, 0, beta, false);
    const ones = shiftedObjective(design, y, new Float64Array(n).fill(1), 0, beta, false);
    // reference: log(1 + e^η) − yη per row with log1p, summed with Kahan compensation
    let sum = 0;
    let carry = 0;
    for (let i = 0; i < n; i++) {
      const eta = 0.2 + (data[i] as number);
      const term = Math.max(eta, 0) + Math.log1p(Math.exp(-Math.abs(eta))) - (y[i] as number) * eta;
      const t = term - carry;
      const next = sum + t;
      carry = next - sum - t;
      sum = next;
    }
    expect(Math.abs(unweighted.value - sum / n)).toBeLessThan(1e-13 * (sum / n));
    expect(Math.abs(unweighted.value - ones.value)).toBeLessThan(1e-13 * (sum / n));
    expect(Array.from(unweighted.gradient)).toEqual(Array.from(ones.gradient));
    // the kernels: the running product's exponents taken out exactly, and log1p for weighted rows
    const passes = new ShiftedPasses(design, y, undefined);
    const fast = passes.valueGradient(0, beta);
    expect(Math.abs(fast.value - sum / n)).toBeLessThan(1e-13 * (sum / n));
    const fastOnes = new ShiftedPasses(design, y, new Float64Array(n).fill(1)).valueGradient(0, beta);
    expect(Math.abs(fastOnes.value - sum / n)).toBeLessThan(1e-13 * (sum / n));
    fast.gradient.forEach((v, a) => expect(Math.abs(v - (unweighted.gradient[a] as number))).toBeLessThan(1e-15));
  });
});
