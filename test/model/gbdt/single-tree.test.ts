/** One tree on tiny datasets, checked against splits and leaf values worked out by hand. */
import { GbdtClassifier } from '../../../src/model/gbdt';
import { Rng } from '../../../src/core/rng';
import type { Dataset } from '../../../src/model/classifier';

const oneTree = { numRounds: 1, learningRate: 1, minDataInLeaf: 1, minSumHessian: 0, subsample: 1, nThreads: 1 } as const;

function dataset(x: number[], y: number[], weights?: number[]): Dataset {
  return { nRows: x.length, nCols: 1, data: Float64Array.from(x), y: Uint8Array.from(y), featureNames: ['x'], ...(weights ? { weights: Float64Array.from(weights) } : {}) };
}

describe('a single tree', () => {
  it('splits a balanced step at the midpoint with leaf values −G/(H+λ)', async () => {
    // Base score log(4/4) = 0, so p = ½: g = ½ − y = ∓½, h = ¼ per row.
    // Left {1..4}: G = 2, H = 1 → value −2/(1+1) = −1; right: G = −2 → +1.
    // Gain = 2²/2 + 2²/2 − 0²/3 = 4; cover = rows per side.
    const model = await new GbdtClassifier({ ...oneTree, numLeaves: 2, lambda: 1 }).fit(dataset([1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 0, 0, 1, 1, 1, 1]));
    const [tree] = model.trees;
    expect(model.baseScore).toBe(0);
    expect(tree!.feature[0]).toBe(0);
    expect(tree!.threshold[0]).toBe(4.5);
    expect(tree!.gain[0]).toBeCloseTo(4, 12);
    expect(tree!.value[tree!.left[0]!]).toBeCloseTo(-1, 12);
    expect(tree!.value[tree!.right[0]!]).toBeCloseTo(1, 12);
    expect(tree!.cover[0]).toBe(8);
    expect(tree!.cover[tree!.left[0]!]).toBe(4);
  });

  it('uses the weighted base score and weighted gradients', async () => {
    // Positives weigh 1 + 3 = 4, negatives 1 + 1 = 2: base = log 2, p = ⅔.
    // Left {x=1,2} (y=0, w=1): G = 2·⅔ = 4/3, H = 2·(2/9) = 4/9, value = −(4/3)/(4/9 + 0.5) = −24/17.
    // Right {x=3 (w=1), x=4 (w=3)}, y=1: G = 4·(−⅓) = −4/3, H = 4·(2/9) = 8/9, value = (4/3)/(8/9 + 0.5) = 24/25.
    const model = await new GbdtClassifier({ ...oneTree, numLeaves: 2, lambda: 0.5 }).fit(dataset([1, 2, 3, 4], [0, 0, 1, 1], [1, 1, 1, 3]));
    const tree = model.trees[0]!;
    expect(model.baseScore).toBeCloseTo(Math.log(2), 14);
    expect(tree.threshold[0]).toBe(2.5);
    expect(tree.value[tree.left[0]!]).toBeCloseTo(-24 / 17, 12);
    expect(tree.value[tree.right[0]!]).toBeCloseTo(24 / 25, 12);
    const gain = (4 / 3) ** 2 / (4 / 9 + 0.5) + (4 / 3) ** 2 / (8 / 9 + 0.5) - 0 / (12 / 9 + 0.5);
    expect(tree.gain[0]).toBeCloseTo(gain, 12);
    expect(tree.cover[tree.right[0]!]).toBe(4); // sum of weights, not rows
  });

  it('grows best-first: the next split goes to the leaf whose best split gains most', async () => {
    const rng = new Rng(5);
    const x = Array.from({ length: 60 }, (_, i) => i + 1);
    const y = x.map((v): number => (rng.bernoulli(v < 20 ? 0.1 : v < 45 ? 0.5 : 0.9) ? 1 : 0));
    const model = await new GbdtClassifier({ ...oneTree, numLeaves: 3, lambda: 1 }).fit(dataset(x, y));
    const tree = model.trees[0]!;
    // Reference: exhaustive search on raw values with g = p − y, h = p(1 − p) at the base rate.
    const p = y.reduce((a, b) => a + b, 0) / y.length;
    const rows = x.map((v, i) => ({ v, g: p - y[i]!, h: p * (1 - p) }));
    const best = (set: typeof rows): { gain: number; threshold: number } => {
      const sum = (list: typeof rows): [number, number] => [list.reduce((a, r) => a + r.g, 0), list.reduce((a, r) => a + r.h, 0)];
      const score = ([g, h]: [number, number]): number => (g * g) / (h + 1);
      let top = { gain: -Infinity, threshold: NaN };
      for (let k = 1; k < set.length; k++) {
        const gain = score(sum(set.slice(0, k))) + score(sum(set.slice(k))) - score(sum(set));
        if (gain > top.gain) top = { gain, threshold: (set[k - 1]!.v + set[k]!.v) / 2 };
      }
      return top;
    };
    const root = best(rows);
    expect(tree.threshold[0]).toBe(root.threshold);
    expect(tree.gain[0]).toBeCloseTo(root.gain, 10);
    const leftBest = best(rows.filter((r) => r.v <= root.threshold));
    const rightBest = best(rows.filter((r) => r.v > root.threshold));
    const [splitChild, bestChild] = leftBest.gain > rightBest.gain ? [tree.left[0]!, leftBest] : [tree.right[0]!, rightBest];
    expect(tree.feature[splitChild]).toBe(0);
    expect(tree.threshold[splitChild]).toBe(bestChild.threshold);
    expect(tree.gain[splitChild]).toBeCloseTo(bestChild.gain, 10);
  });

  it('does not split a pure leaf on rounding noise', async () => {
    const model = await new GbdtClassifier({ ...oneTree, numLeaves: 8, lambda: 0 }).fit(dataset([1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 0, 0, 1, 1, 1, 1, 1, 1]));
    expect(model.trees[0]!.nNodes).toBe(3);
  });

  it('respects minDataInLeaf, maxDepth and minSplitGain', async () => {
    const d = dataset([1, 2, 3, 4, 5, 6, 7, 8], [0, 1, 0, 0, 1, 1, 0, 1]);
    const m1 = await new GbdtClassifier({ ...oneTree, numLeaves: 8, minDataInLeaf: 4 }).fit(d);
    expect(m1.trees[0]!.nNodes).toBe(3);
    const m2 = await new GbdtClassifier({ ...oneTree, numLeaves: 8, maxDepth: 1 }).fit(d);
    expect(m2.trees[0]!.maxDepth()).toBe(1);
    const m3 = await new GbdtClassifier({ ...oneTree, numLeaves: 8, minSplitGain: 100 }).fit(d);
    expect(m3.trees[0]!.nNodes).toBe(1);
  });

  it('rejects inconsistent training data, naming the field', async () => {
    const classifier = new GbdtClassifier({ nThreads: 1 });
    const good = dataset([1, 2, 3, 4], [0, 1, 0, 1]);
    await expect(classifier.fit({ ...good, y: Uint8Array.from([0, 1, 2, 1]) })).rejects.toMatchObject({ name: 'ValidationError', context: { field: 'train.y' } });
    await expect(classifier.fit({ ...good, weights: Float64Array.from([1, 1]) })).rejects.toThrow(/train.weights has 2 values/);
    await expect(classifier.fit({ ...good, weights: Float64Array.from([1, -1, 1, 1]) })).rejects.toThrow(/finite and ≥ 0/);
    await expect(classifier.fit({ ...good, categorical: [3] })).rejects.toThrow(/outside 0..0/);
    await expect(classifier.fit(good, { validation: { ...good, nCols: 2, data: new Float64Array(8), featureNames: ['a', 'b'] } })).rejects.toThrow(/validation has 2 columns/);
  });

  it('rejects bad options early, naming the option', () => {
    expect(() => new GbdtClassifier({ learningRate: 0 })).toThrow(/learningRate/);
    expect(() => new GbdtClassifier({ numLeaves: 1.5 })).toThrow(/numLeaves/);
    expect(() => new GbdtClassifier({ maxBins: 300 })).toThrow(/maxBins/);
    expect(() => new GbdtClassifier({ subsampel: 0.5 } as never)).toThrow(/subsampel is unknown/);
    const attempt = (): unknown => {
      try {
        return new GbdtClassifier({ nThreads: -1 });
      } catch (error) {
        return error;
      }
    };
    expect(attempt()).toMatchObject({ name: 'ValidationError', context: { field: 'nThreads' } });
  });
});
