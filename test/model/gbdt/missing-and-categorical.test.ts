/** Learned default directions for missing values, and categorical splits on a planted signal. */
import { Rng } from '../../../src/core/rng';
import type { Dataset } from '../../../src/model/classifier';
import { GbdtClassifier, loadGbdt } from '../../../src/model/gbdt';
import { logLoss, sliceRows } from './synthetic';

function column(values: number[], y: number[], categorical?: number[]): Dataset {
  return { nRows: values.length, nCols: 1, data: Float64Array.from(values), y: Uint8Array.from(y), featureNames: ['x'], ...(categorical ? { categorical } : {}) };
}

describe('missing values', () => {
  it('learns to send NaN to its own leaf when missingness alone predicts the label', async () => {
    const rng = new Rng(1);
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const missing = rng.bernoulli(0.3);
      x.push(missing ? NaN : rng.int(5));
      y.push(rng.bernoulli(missing ? 0.8 : 0.1) ? 1 : 0);
    }
    const model = await new GbdtClassifier({ numRounds: 1, numLeaves: 2, learningRate: 1, minDataInLeaf: 20, subsample: 1, nThreads: 1 }).fit(column(x, y));
    const p = model.predictProba({ nRows: 4, nCols: 1, data: Float64Array.from([NaN, -3, 2, 30]) });
    expect(p[0]).toBeGreaterThan(0.6);
    // Every observed value, however extreme, lands on the other side.
    expect(p[1]).toBeLessThan(0.2);
    expect(p[2]).toBe(p[1]);
    expect(p[3]).toBe(p[1]);
    // "Every value left, NaN right" has an infinite threshold, which JSON must carry.
    expect(model.trees[0]!.threshold[0]).toBe(Infinity);
    expect(Array.from(loadGbdt(JSON.parse(JSON.stringify(model))).predictProba({ nRows: 2, nCols: 1, data: Float64Array.from([NaN, 30]) }))).toEqual([p[0], p[3]]);
  });

  it.each([
    ['with the low values (default left)', 0, true],
    ['with the high values (default right)', 1, false],
  ])('groups NaN %s when it behaves like them', async (_, missingLabel, expectLeft) => {
    const rng = new Rng(2);
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const v = rng.normal();
      const missing = rng.bernoulli(0.25);
      x.push(missing ? NaN : v);
      y.push(rng.bernoulli(0.05) ? 1 - (missing ? missingLabel : v > 0.5 ? 1 : 0) : missing ? missingLabel : v > 0.5 ? 1 : 0);
    }
    const model = await new GbdtClassifier({ numRounds: 1, numLeaves: 2, learningRate: 1, minDataInLeaf: 20, subsample: 1, nThreads: 1 }).fit(column(x, y));
    const tree = model.trees[0]!;
    expect(tree.threshold[0]).toBeCloseTo(0.5, 1);
    expect(tree.defaultLeft[0] === 1).toBe(expectLeft);
  });
});

describe('categorical features', () => {
  function planted(n: number, seed: number): Dataset {
    const rng = new Rng(seed);
    const hot = new Set([2, 5, 7, 10]);
    const codes: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = rng.int(12);
      codes.push(c);
      y.push(rng.bernoulli(hot.has(c) ? 0.8 : 0.1) ? 1 : 0);
    }
    return column(codes, y);
  }

  it('finds the planted category set in one split, which ordinal splits cannot', async () => {
    const data = planted(4000, 3);
    const train = sliceRows(data, 0, 3000);
    const test = sliceRows(data, 3000, 4000);
    const options = { numRounds: 1, numLeaves: 2, learningRate: 1, minDataInLeaf: 20, subsample: 1, nThreads: 1 };
    const categorical = await new GbdtClassifier(options).fit({ ...train, categorical: [0] });
    const ordinal = await new GbdtClassifier(options).fit(train);
    const tree = categorical.trees[0]!;
    const [left, right] = [Array.from(tree.categories[0]!), Array.from(tree.rightCategories[0]!)];
    const hotSide = left.includes(2) ? left : right;
    expect(hotSide).toEqual([2, 5, 7, 10]);
    expect(left.length + right.length).toBe(12);
    const lossCategorical = logLoss(categorical.predictProba(test), test.y);
    const lossOrdinal = logLoss(ordinal.predictProba(test), test.y);
    expect(lossCategorical).toBeLessThan(lossOrdinal - 0.05);
  });

  it('sends NaN and unseen categories the default way, and rejects non-integer codes', async () => {
    const data = planted(2000, 4);
    const model = await new GbdtClassifier({ numRounds: 3, numLeaves: 2, minDataInLeaf: 20, nThreads: 1 }).fit({ ...data, categorical: [0] });
    const p = model.predictProba({ nRows: 3, nCols: 1, data: Float64Array.from([NaN, 99, 5]) });
    expect(p[0]).toBe(p[1]);
    await expect(new GbdtClassifier({ nThreads: 1 }).fit({ ...column([0, 1.5, 2, 3], [0, 1, 0, 1]), categorical: [0] })).rejects.toThrow(/integer codes/);
  });
});
