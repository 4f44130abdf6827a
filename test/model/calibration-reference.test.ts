/**
 * Calibration against independent references: isotonic regression against the min–max formula
 * of the least-squares monotone fit (brute force over all blocks), the expected calibration error
 * worked out by hand, and out-of-fold calibration of a deliberately over-confident model.
 */
import { Rng } from '../../src/core/rng';
import { applyCalibrator, expectedCalibrationError, fitIsotonic } from '../../src/model/calibration';
import { CalibratedModel, probabilitiesFromRaw, storedCalibration, withCalibration } from '../../src/model/calibrated-model';
import type { Classifier, Dataset, FeatureMatrix, FittedModel } from '../../src/model/classifier';
import { loadFittedModel } from '../../src/model/model-kinds';
import { LogisticClassifier } from '../../src/model/logistic';
import { groupFolds, outOfFoldCalibration } from '../../src/model/out-of-fold-calibration';

/**
 * The isotonic (least-squares, non-decreasing) fit at each distinct score s_i, weighted by the
 * rows at each score: max over j ≤ i of min over k ≥ i of the mean of y over scores j..k.
 */
function bruteForceIsotonic(p: number[], y: number[]): Map<number, number> {
  const scores = [...new Set(p)].sort((a, b) => a - b);
  const sum = scores.map((s) => y.filter((_, i) => p[i] === s).reduce((a, b) => a + b, 0));
  const count = scores.map((s) => p.filter((v) => v === s).length);
  const out = new Map<number, number>();
  scores.forEach((s, i) => {
    let best = -Infinity;
    for (let j = 0; j <= i; j++) {
      let worst = Infinity;
      for (let k = i; k < scores.length; k++) {
        let sy = 0;
        let n = 0;
        for (let m = j; m <= k; m++) { sy += sum[m]!; n += count[m]!; }
        worst = Math.min(worst, sy / n);
      }
      best = Math.max(best, worst);
    }
    out.set(s, best);
  });
  return out;
}

describe('isotonic calibration against brute force', () => {
  test.each([1, 2, 3, 4, 5])('random example %i, with tied scores, matches the min–max formula', (seed) => {
    const rng = new Rng(seed);
    const p = Array.from({ length: 25 }, () => Math.round(rng.next() * 12) / 12);
    const y = p.map((v) => (rng.bernoulli(0.2 + 0.6 * v) ? 1 : 0));
    const reference = bruteForceIsotonic(p, y);
    const fitted = applyCalibrator(fitIsotonic(p, y), p);
    p.forEach((s, i) => expect(fitted[i]).toBeCloseTo(reference.get(s)!, 12));
  });
});

describe('expected calibration error', () => {
  test('by hand on five rows', () => {
    // bins of width 0.1: [0.0,0.1): 0.05 → y 0; [0.1,0.2): 0.15, 0.12 → y 1, 0; [0.9,1.0]: 0.95, 0.91 → y 1, 1
    // ECE = (1·|0.05 − 0| + 2·|0.135 − 0.5| + 2·|0.93 − 1|) / 5 = (0.05 + 0.73 + 0.14) / 5 = 0.184
    expect(expectedCalibrationError([0, 1, 0, 1, 1], [0.05, 0.15, 0.12, 0.95, 0.91])).toBeCloseTo(0.184, 12);
    expect(expectedCalibrationError([0, 1], [0, 1])).toBe(0);
    expect(expectedCalibrationError([], [])).toBeNaN();
  });
});

describe('out-of-fold calibration', () => {
  test('folds by group: a group is never split across folds, and folds are balanced', () => {
    const groups = Array.from({ length: 300 }, (_, i) => `D${i % 50}`);
    const folds = groupFolds(groups, 3, 9);
    const foldOf = new Map<string, number>();
    groups.forEach((g, i) => {
      if (foldOf.has(g)) expect(folds[i]).toBe(foldOf.get(g));
      foldOf.set(g, folds[i]!);
    });
    const sizes = [0, 1, 2].map((f) => [...foldOf.values()].filter((v) => v === f).length);
    expect(sizes.sort()).toEqual([16, 17, 17]);
  });

  /** A logistic model made over-confident: its log-odds tripled. */
  class OverConfident implements Classifier {
    readonly kind = 'logistic';
    async fit(train: Dataset): Promise<FittedModel> {
      const inner = await new LogisticClassifier().fit(train);
      const sharpen = (q: number) => 1 / (1 + Math.exp(-3 * Math.log(q / (1 - q))));
      return { ...inner, kind: inner.kind, featureNames: inner.featureNames, predictProba: (x: FeatureMatrix) => inner.predictProba(x).map(sharpen), explain: (x) => inner.explain(x), explainBatch: (x) => inner.explainBatch(x), importance: (x) => inner.importance(x), toJSON: () => inner.toJSON() };
    }
  }

  function sample(rng: Rng, n: number): { ds: Dataset; groups: string[]; truth: Float64Array } {
    const data = new Float64Array(n);
    const y = new Uint8Array(n);
    const truth = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      data[i] = rng.next() * 4 - 2;
      truth[i] = 1 / (1 + Math.exp(-(0.8 * data[i]! - 0.5)));
      y[i] = rng.bernoulli(truth[i]!) ? 1 : 0;
    }
    return { ds: { nRows: n, nCols: 1, data, featureNames: ['x'], y }, groups: Array.from({ length: n }, (_, i) => `D${Math.floor(i / 3)}`), truth };
  }

  test.each(['platt', 'isotonic'] as const)('%s on out-of-fold predictions brings an over-confident model close to the true probabilities', async (method) => {
    const rng = new Rng(21);
    const train = sample(rng, 3000);
    const test = sample(rng, 3000);
    const classifier = new OverConfident();
    const model = await classifier.fit(train.ds);
    const calibration = await outOfFoldCalibration(classifier, train.ds, train.groups, { method, folds: 3, seed: 1 });
    const calibrated = withCalibration(model, calibration);
    const raw = model.predictProba(test.ds);
    const p = calibrated.predictProba(test.ds);
    const gap = (q: Float64Array) => q.reduce((s, v, i) => s + Math.abs(v - test.truth[i]!), 0) / q.length;
    expect(gap(raw)).toBeGreaterThan(0.08);
    expect(gap(p)).toBeLessThan(0.03);
    expect(expectedCalibrationError(test.ds.y, p)).toBeLessThan(expectedCalibrationError(test.ds.y, raw) / 2);
  });

  test('a calibrated model survives its JSON, and P(pay) from raw scores equals predictProba', async () => {
    const rng = new Rng(4);
    const { ds } = sample(rng, 500);
    const base = await new LogisticClassifier().fit(ds);
    const model = withCalibration(base, { kind: 'platt', slope: 0.7, intercept: -0.2 });
    expect(model).toBeInstanceOf(CalibratedModel);
    const back = loadFittedModel(JSON.parse(JSON.stringify(model.toJSON())));
    expect(storedCalibration(back.toJSON())).toEqual({ kind: 'platt', slope: 0.7, intercept: -0.2 });
    const p = back.predictProba(ds);
    const fromRaw = probabilitiesFromRaw(back, back.explain(ds).rawScores);
    for (let i = 0; i < 20; i++) expect(fromRaw[i]).toBeCloseTo(p[i]!, 12);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-(0.7 * back.explain(ds).rawScores[0]! - 0.2))), 12);
    expect(loadFittedModel(base.toJSON())).not.toBeInstanceOf(CalibratedModel);
  });
});
