import { Rng } from '../../src/core/rng';
import type { Dataset } from '../../src/model/classifier';
import { sigmoid } from '../../src/model/classifier';
import { FittedLogistic, LogisticClassifier, loadLogistic } from '../../src/model/logistic';
import { fitLogisticGradientDescent } from '../../src/model/logistic-gradient-descent';
import { fitLogisticIrls, logisticObjective } from '../../src/model/logistic-irls';
import { applyPreprocessor } from '../../src/model/preprocess';

const logit = (p: number) => Math.log(p / (1 - p));

/** Rows with one binary feature: counts of (x, y) pairs. */
function binaryDesign(counts: Record<'x0y0' | 'x0y1' | 'x1y0' | 'x1y1', number>): Dataset {
  const xs: number[] = [], ys: number[] = [];
  const push = (x: number, y: number, k: number) => { for (let i = 0; i < k; i++) { xs.push(x); ys.push(y); } };
  push(0, 0, counts.x0y0); push(0, 1, counts.x0y1); push(1, 0, counts.x1y0); push(1, 1, counts.x1y1);
  return { nRows: xs.length, nCols: 1, data: Float64Array.from(xs), y: Uint8Array.from(ys), featureNames: ['x'] };
}

function simulate(seed: number, n: number, beta: number[], intercept: number): Dataset {
  const rng = new Rng(seed);
  const p = beta.length;
  const data = new Float64Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let eta = intercept;
    for (let j = 0; j < p; j++) {
      const v = rng.normal() * (j + 1) + j;
      data[i * p + j] = v;
      eta += beta[j]! * v;
    }
    y[i] = rng.bernoulli(sigmoid(eta)) ? 1 : 0;
  }
  return { nRows: n, nCols: p, data, y, featureNames: beta.map((_, j) => `f${j}`) };
}

describe('Newton/IRLS solver', () => {
  test('recovers the closed-form MLE of a binary feature: intercept = logit(rate | x=0), slope = log odds ratio', () => {
    const ds = binaryDesign({ x0y0: 30, x0y1: 10, x1y0: 12, x1y1: 18 });
    // to the last digits: on the gradient alone, not on the objective's distance to its minimum
    const s = fitLogisticIrls(ds, ds.y, undefined, { l2: 0, objectiveTolerance: 0 });
    expect(s.converged).toBe(true);
    expect(s.intercept).toBeCloseTo(logit(10 / 40), 10);
    expect(s.coefficients[0]).toBeCloseTo(logit(18 / 30) - logit(10 / 40), 10);
  });

  test('sample weights act as row counts', () => {
    // weight 3 on every (x=1, y=1) row is the same MLE as three times as many such rows
    const ds = binaryDesign({ x0y0: 30, x0y1: 10, x1y0: 12, x1y1: 6 });
    const w = Float64Array.from(ds.y, (v, i) => (v === 1 && ds.data[i] === 1 ? 3 : 1));
    const s = fitLogisticIrls(ds, ds.y, w, { l2: 0, objectiveTolerance: 0 });
    expect(s.coefficients[0]).toBeCloseTo(logit(18 / 30) - logit(10 / 40), 10);
  });

  test('with L2 the gradient is zero at the solution (finite differences of the objective)', () => {
    const ds = simulate(1, 400, [0.8, -0.5, 0.3], -0.5);
    const l2 = 0.05;
    const s = fitLogisticIrls(ds, ds.y, undefined, { l2 });
    const beta = Float64Array.from([s.intercept, ...s.coefficients]);
    const h = 1e-5;
    for (let a = 0; a < beta.length; a++) {
      const up = beta.slice(); up[a]! += h;
      const down = beta.slice(); down[a]! -= h;
      const fd = (logisticObjective(ds, ds.y, undefined, l2, up, false).value - logisticObjective(ds, ds.y, undefined, l2, down, false).value) / (2 * h);
      expect(Math.abs(fd)).toBeLessThan(1e-7);
    }
  });

  test('by default it stops once the objective is within 1e-9 of its minimum, in fewer Newton steps', () => {
    for (const [seed, n] of [[11, 3_000], [12, 30_000]] as const) {
      const ds = simulate(seed, n, [0.8, -0.5, 0.3, 0.1], -2);
      const exact = fitLogisticIrls(ds, ds.y, undefined, { objectiveTolerance: 0, tolerance: 1e-12 });
      const early = fitLogisticIrls(ds, ds.y, undefined);
      expect(exact.converged && early.converged).toBe(true);
      expect(early.iterations).toBeLessThan(exact.iterations);
      expect(early.objective - exact.objective).toBeGreaterThanOrEqual(0);
      expect(early.objective - exact.objective).toBeLessThan(1e-9 * exact.objective);
    }
    expect(() => fitLogisticIrls(simulate(3, 50, [1], 0), new Uint8Array(50), undefined, { objectiveTolerance: -1 })).toThrow(/objectiveTolerance/);
  });

  test('the penalty spares the intercept: a huge L2 leaves the base-rate logit', () => {
    const ds = simulate(2, 300, [1, 1], 0.7);
    const s = fitLogisticIrls(ds, ds.y, undefined, { l2: 1e8 });
    const rate = ds.y.reduce((a, b) => a + b, 0) / ds.nRows;
    expect(s.intercept).toBeCloseTo(logit(rate), 5);
    for (const c of s.coefficients) expect(Math.abs(c)).toBeLessThan(1e-6);
  });

  test('a tall design starts from a subsample: same solution as from the base rate', () => {
    // 3 coefficients, 20,000 rows: more than 4,000 rows per coefficient
    const ds = simulate(9, 20000, [0.8, -0.5], -1.5);
    const rate = ds.y.reduce((a, b) => a + b, 0) / ds.nRows;
    const warm = fitLogisticIrls(ds, ds.y, undefined, { l2: 0, objectiveTolerance: 0 });
    const cold = fitLogisticIrls(ds, ds.y, undefined, { l2: 0, objectiveTolerance: 0, start: [logit(rate), 0, 0] });
    expect(warm.converged).toBe(true);
    expect(warm.iterations).toBeLessThan(cold.iterations);
    // both stop at a 1e-8 gradient, from different sides
    expect(warm.intercept).toBeCloseTo(cold.intercept, 6);
    warm.coefficients.forEach((c, j) => expect(c).toBeCloseTo(cold.coefficients[j]!, 6));
    expect(() => fitLogisticIrls(ds, ds.y, undefined, { start: [0] })).toThrow(/start has 1 entries for 3/);
  });

  test('a tall design whose subsample is separable starts from the base rate: same steps as asked to start there', () => {
    // rows 0, 6, 12, … (the warm start's subsample) have y = [x > 0]; on the others y ignores x
    const n = 40_000;
    const rng = new Rng(10);
    const data = Float64Array.from({ length: n }, () => rng.normal());
    const y = Uint8Array.from(data, (x, i) => (i % 6 === 0 ? (x > 0 ? 1 : 0) : rng.bernoulli(0.3) ? 1 : 0));
    const ds = { nRows: n, nCols: 1, data, y, featureNames: ['x'] };
    const rate = y.reduce((a, b) => a + b, 0) / n;
    const fromSubsample = fitLogisticIrls(ds, y, undefined, { l2: 0 });
    const fromBaseRate = fitLogisticIrls(ds, y, undefined, { l2: 0, start: [logit(rate), 0] });
    expect(fromSubsample.converged).toBe(true);
    expect(fromSubsample.iterations).toBe(fromBaseRate.iterations);
    expect(fromSubsample.intercept).toBe(fromBaseRate.intercept);
    expect(fromSubsample.coefficients[0]).toBe(fromBaseRate.coefficients[0]);
    expect(Math.abs(fromSubsample.coefficients[0]!)).toBeLessThan(1); // far from the subsample's separating slope
  });

  test('options are validated by name', () => {
    const ds = simulate(3, 50, [1], 0);
    expect(() => fitLogisticIrls(ds, ds.y, undefined, { l2: -1 })).toThrow(/l2/);
    expect(() => new LogisticClassifier({ solver: 'sgd' as never })).toThrow(/solver/);
  });
});

describe('ml-logistic-regression solver', () => {
  test('agrees with the Newton solution on a small problem and reports convergence', () => {
    const ds = simulate(4, 300, [0.9, -0.4, 0.2], -0.3);
    const gd = fitLogisticGradientDescent(ds, ds.y, { tolerance: 1e-7, maxSteps: 16000 });
    const newton = fitLogisticIrls(ds, ds.y, undefined, { l2: 0 });
    expect(gd.converged).toBe(true);
    expect(gd.gradientNorm).toBeLessThan(1e-6);
    expect(gd.iterations).toBeGreaterThan(0);
    expect(gd.intercept).toBeCloseTo(newton.intercept, 4);
    gd.coefficients.forEach((c, j) => expect(c).toBeCloseTo(newton.coefficients[j]!, 4));
  });

  test('not converging is reported: a warning, or an error when asked', () => {
    const ds = simulate(5, 200, [2, -1], 0);
    const warnings: string[] = [];
    const s = fitLogisticGradientDescent(ds, ds.y, { initialSteps: 1, maxSteps: 1, whiten: false, warn: (m) => warnings.push(m) });
    expect(s.converged).toBe(false);
    expect(warnings[0]).toMatch(/did not converge.*after 1 steps/);
    expect(() => fitLogisticGradientDescent(ds, ds.y, { initialSteps: 1, maxSteps: 1, onNotConverged: 'throw' })).toThrow(/did not converge/);
  });

  test('weighted datasets are refused rather than silently unweighted', async () => {
    const ds = { ...simulate(6, 50, [1], 0), weights: Float64Array.from({ length: 50 }, (_, i) => 1 + (i % 2)) };
    await expect(new LogisticClassifier({ solver: 'gradient-descent' }).fit(ds)).rejects.toThrow(/no sample weights/);
  });
});

describe('LogisticClassifier', () => {
  test('scores of many rows (preprocessed block by block) are intercept + Σ coefficient × preprocessed column of each row', async () => {
    const train = simulate(5, 2_000, [0.8, -0.5, 0.3], -1);
    const model = await new LogisticClassifier().fit(train) as FittedLogistic;
    const rng = new Rng(6);
    const n = 40_000; // past two blocks
    const data = Float64Array.from({ length: n * 3 }, () => (rng.next() < 0.05 ? NaN : rng.normal() * 3));
    const p = model.predictProba({ nRows: n, nCols: 3, data });
    const z = applyPreprocessor(model.preprocess, { nRows: n, nCols: 3, data });
    for (const i of [0, 1, 16_383, 16_384, 16_385, 32_767, 32_768, n - 1]) {
      let eta = model.intercept;
      for (let k = 0; k < z.nCols; k++) eta += model.coefficients[k]! * z.data[i * z.nCols + k]!;
      expect(p[i]).toBeCloseTo(sigmoid(eta), 14);
    }
  });

  test('explanations add up to the raw score, and the model survives JSON', async () => {
    const base = simulate(7, 500, [0.7, -0.3, 0.25], -1);
    const data = base.data.slice();
    for (let i = 0; i < base.nRows; i += 7) data[i * 3 + 1] = NaN;
    const ds: Dataset = { ...base, data };
    const model = (await new LogisticClassifier().fit(ds)) as FittedLogistic;
    const e = model.explain(ds);
    const p = model.predictProba(ds);
    for (let i = 0; i < 20; i++) {
      let s = e.expectedValue;
      for (let j = 0; j < 3; j++) s += e.contributions[i * 3 + j]!;
      expect(s).toBeCloseTo(e.rawScores[i]!, 10);
      expect(sigmoid(s)).toBeCloseTo(p[i]!, 12);
    }
    // the standardised columns have training mean 0: the expected value is the intercept
    expect(e.expectedValue).toBeCloseTo(model.intercept, 12);
    const back = loadLogistic(JSON.parse(JSON.stringify(model.toJSON())));
    expect(Array.from(back.predictProba(ds))).toEqual(Array.from(p));
    expect(model.importance(ds).map((f) => f.feature)).toEqual(['f0', 'f1', 'f2']);
  });

  test('without clipping or standardising the JSON keeps open bounds and training means', async () => {
    const ds = simulate(8, 200, [0.5, 0.5], 0);
    const model = (await new LogisticClassifier({ preprocess: { clipPercentiles: null, standardise: false } }).fit(ds)) as FittedLogistic;
    const back = loadLogistic(JSON.parse(JSON.stringify(model)));
    const far = { nRows: 1, nCols: 2, data: Float64Array.from([1e6, -1e6]) };
    expect(back.predictProba(far)[0]).toBe(model.predictProba(far)[0]);
    const e = back.explain(ds);
    let mean = 0;
    for (let i = 0; i < ds.nRows; i++) mean += (e.contributions[i * 2]! + e.contributions[i * 2 + 1]!) / ds.nRows;
    expect(Math.abs(mean)).toBeLessThan(1e-9);
  });
});
