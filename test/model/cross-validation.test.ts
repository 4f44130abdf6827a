import { Rng } from '../../src/core/rng';
import type { Classifier, Dataset, FeatureMatrix, FittedModel } from '../../src/model/classifier';
import { crossValidate, type FoldAudit } from '../../src/model/cross-validation';
import { subsetDataset } from '../../src/model/dataset-ops';
import { splitsFromFolds, stratifiedFolds, timeHoldoutSplit } from '../../src/model/folds';
import { LogisticClassifier } from '../../src/model/logistic';
import { auc } from '../../src/model/metrics';
import { oversampleIndices } from '../../src/model/resampling';

function noisy(seed: number, n: number, signal: number): Dataset {
  const rng = new Rng(seed);
  const data = new Float64Array(n * 3);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 3; j++) data[i * 3 + j] = rng.normal();
    y[i] = rng.bernoulli(1 / (1 + Math.exp(-(signal * (data[i * 3] as number) - 2)))) ? 1 : 0;
  }
  return { nRows: n, nCols: 3, data, y, featureNames: ['a', 'b', 'c'] };
}

/** A model that memorises training rows (like a deep tree): exact row match → its label mean. */
class Memoriser implements Classifier {
  readonly kind = 'memoriser';
  async fit(train: Dataset): Promise<FittedModel> {
    const table = new Map<string, [number, number]>();
    for (let i = 0; i < train.nRows; i++) {
      const key = Array.from(train.data.subarray(i * train.nCols, (i + 1) * train.nCols)).join(',');
      const e = table.get(key) ?? [0, 0];
      table.set(key, [e[0] + (train.y[i] as number), e[1] + 1]);
    }
    const base = train.y.reduce((a, b) => a + b, 0) / train.nRows;
    const predictProba = (x: FeatureMatrix) => Float64Array.from({ length: x.nRows }, (_, i) => {
      const e = table.get(Array.from(x.data.subarray(i * x.nCols, (i + 1) * x.nCols)).join(','));
      return e ? e[0] / e[1] : base;
    });
    return { kind: this.kind, featureNames: train.featureNames, predictProba, explain: () => { throw new Error('n/a'); }, explainBatch: () => Promise.reject(new Error('n/a')), importance: () => [], toJSON: () => ({ kind: this.kind, formatVersion: 1, featureNames: [] }) };
  }
}

describe('splits', () => {
  test('stratified folds balance each class, are seeded, and differ by seed', () => {
    const y = Uint8Array.from({ length: 103 }, (_, i) => (i % 5 === 0 ? 1 : 0)); // 21 positives
    const folds = stratifiedFolds(y, 5, 7);
    for (let f = 0; f < 5; f++) {
      const pos = y.filter((v, i) => v === 1 && folds[i] === f).length;
      const all = folds.filter((v) => v === f).length;
      expect([4, 5]).toContain(pos);
      expect([20, 21]).toContain(all);
    }
    expect(Array.from(stratifiedFolds(y, 5, 7))).toEqual(Array.from(folds));
    expect(Array.from(stratifiedFolds(y, 5, 8))).not.toEqual(Array.from(folds));
    expect(() => stratifiedFolds(y, 1)).toThrow(/folds/);
  });

  test('external folds and the time holdout', () => {
    const s = splitsFromFolds([2, 0, 2, 1]);
    expect(s.map((x) => Array.from(x.test))).toEqual([[1], [3], [0, 2]]);
    const t = timeHoldoutSplit([20240101, 20240201, 20240301, 20240301, 20240101]);
    expect(Array.from(t.train)).toEqual([0, 1, 4]);
    expect(Array.from(t.test)).toEqual([2, 3]);
    expect(() => timeHoldoutSplit([1, 1])).toThrow(/distinct groups/);
  });
});

describe('crossValidate', () => {
  test('the threshold and calibration never see the test fold', async () => {
    const ds = noisy(1, 900, 1.5);
    const folds = stratifiedFolds(ds.y, 3, 1);
    const audits: FoldAudit[] = [];
    const run = (d: Dataset) => crossValidate(new LogisticClassifier(), d, folds, { calibration: 'isotonic', audit: (a) => audits.push(a) });
    const first = await run(ds);
    for (const a of audits) {
      const test = new Set(a.testRows);
      expect(a.thresholdRows.length).toBeGreaterThan(0);
      expect(Array.from(a.thresholdRows).some((i) => test.has(i))).toBe(false);
      expect(Array.from(a.fitRows).some((i) => test.has(i))).toBe(false);
    }
    // scrambling fold 0's test labels leaves fold 0's threshold and calibration unchanged
    const y = ds.y.slice();
    folds.forEach((f, i) => { if (f === 0) y[i] = 1 - (y[i] as number); });
    const second = await run({ ...ds, y });
    expect(second.folds[0]!.threshold).toBe(first.folds[0]!.threshold);
    expect(second.folds[0]!.calibration).toEqual(first.folds[0]!.calibration);
    expect(second.folds[1]!.threshold).not.toBe(first.folds[1]!.threshold);
  });

  test('oversampling before the split inflates AUC; inside the training folds it does not', async () => {
    const ds = noisy(2, 600, 0); // labels independent of the features: honest AUC ≈ 0.5
    const model = new Memoriser();
    const before = subsetDataset(ds, oversampleIndices(ds.y, new Rng(3), 1));
    const leaky = await crossValidate(model, before, stratifiedFolds(before.y, 5, 1), { threshold: 'bayes' });
    const honest = await crossValidate(model, ds, stratifiedFolds(ds.y, 5, 1), { threshold: 'bayes', oversample: 1 });
    expect(leaky.summary.auc.mean).toBeGreaterThan(0.7);
    expect(Math.abs(honest.summary.auc.mean - 0.5)).toBeLessThan(0.06);
  });

  test('class weighting shifts the fixed threshold to r / (10 + r); out-of-fold predictions cover every row', async () => {
    const ds = noisy(4, 600, 2);
    const folds = stratifiedFolds(ds.y, 3, 2);
    const res = await crossValidate(new LogisticClassifier(), ds, folds, { classWeight: 'balanced', threshold: 'bayes' });
    for (const [f, fold] of res.folds.entries()) {
      const train = ds.y.filter((_, i) => folds[i] !== f);
      const pos = train.reduce((a, b) => a + b, 0);
      const r = (train.length - pos) / pos;
      expect(fold.fixedThreshold).toBeCloseTo(r / (10 + r), 12);
    }
    expect(res.outOfFold.some(Number.isNaN)).toBe(false);
    expect(res.summary.auc.mean).toBeCloseTo(auc(ds.y, res.outOfFold), 1);
    await expect(crossValidate(new LogisticClassifier(), ds, folds, { innerFolds: 1 })).rejects.toThrow(/innerFolds/);
  });
});
