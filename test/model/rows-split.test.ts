/**
 * `withRowsSplit` hands a fold's fit rows and held rows to a model as views of the training set,
 * moved in place: each part must equal the copy `subsetDataset` makes of the same rows, and the
 * training set must come back byte for byte, also when the model throws.
 */
import { subsetDataset, withRowsSplit } from '../../src/model/dataset-ops';
import type { Dataset } from '../../src/model/classifier';
import { Rng } from '../../src/core/rng';
import { LogisticClassifier } from '../../src/model/logistic';
import { GbdtClassifier } from '../../src/model/gbdt';
import { groupFolds, outOfFoldPredictions } from '../../src/model/out-of-fold-calibration';

function dataset(nRows: number, nCols: number, seed: number, weighted: boolean): Dataset {
  const rng = new Rng(seed);
  // column 1 is categorical (codes 0–4)
  const data = Float64Array.from({ length: nRows * nCols }, (_, k) => (k % 7 === 3 ? NaN : k % nCols === 1 ? rng.int(5) : rng.next() * 100));
  const y = Uint8Array.from({ length: nRows }, () => (rng.next() < 0.3 ? 1 : 0));
  return { nRows, nCols, data, y, featureNames: Array.from({ length: nCols }, (_, j) => `x${j}`), categorical: [1], ...(weighted ? { weights: Float64Array.from({ length: nRows }, () => 1 + rng.next()) } : {}) };
}

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('withRowsSplit', () => {
  test.each([
    { rows: 1_000, cols: 5, weighted: false, share: 0.33 },
    { rows: 997, cols: 33, weighted: true, share: 0.5 },
    { rows: 50, cols: 1, weighted: true, share: 0.9 },
  ])('$rows rows × $cols: the parts are the copies of the same rows in order, and the set comes back', async ({ rows, cols, weighted, share }) => {
    const ds = dataset(rows, cols, rows + cols, weighted);
    const original: Dataset = { ...ds, data: ds.data.slice(), y: ds.y.slice(), ...(ds.weights ? { weights: ds.weights.slice() } : {}) };
    const rng = new Rng(7);
    const held = Uint8Array.from({ length: rows }, () => (rng.next() < share ? 1 : 0));
    const keptIdx = [...held.keys()].filter((i) => held[i] === 0);
    const heldIdx = [...held.keys()].filter((i) => held[i] === 1);
    const sizes = await withRowsSplit(ds, held, async (kept, out) => {
      for (const [part, idx] of [[kept, keptIdx], [out, heldIdx]] as const) {
        const copy = subsetDataset(original, idx);
        expect(part.nRows).toBe(idx.length);
        expect(bytes(part.data).equals(bytes(copy.data))).toBe(true);
        expect(Array.from(part.y)).toEqual(Array.from(copy.y));
        if (weighted) expect(Array.from(part.weights!)).toEqual(Array.from(copy.weights!));
        expect(part.categorical).toEqual([1]);
        expect(part.featureNames).toBe(ds.featureNames);
        // a view, not a copy: it shares the training set's memory
        expect(part.data.buffer).toBe(ds.data.buffer);
      }
      return [kept.nRows, out.nRows];
    });
    expect(sizes).toEqual([keptIdx.length, heldIdx.length]);
    expect(bytes(ds.data).equals(bytes(original.data))).toBe(true);
    expect(bytes(ds.y).equals(bytes(original.y))).toBe(true);
    if (weighted) expect(bytes(ds.weights!).equals(bytes(original.weights!))).toBe(true);
  });

  test('the rows come back when the model throws', async () => {
    const ds = dataset(300, 4, 3, true);
    const before = Buffer.from(bytes(ds.data));
    const held = Uint8Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    await expect(withRowsSplit(ds, held, async () => { throw new Error('fit failed'); })).rejects.toThrow('fit failed');
    expect(bytes(ds.data).equals(before)).toBe(true);
  });

  test('flags of the wrong length are refused', async () => {
    await expect(withRowsSplit(dataset(10, 2, 1, false), new Uint8Array(9), async () => 0)).rejects.toThrow(/9 flags for 10 rows/);
  });

  test.each(['logistic', 'gbdt'])('out-of-fold predictions of a %s on the moved rows are those of models fitted on copies', async (kind) => {
    const rng = new Rng(11);
    const n = 3_000;
    const ds = dataset(n, 4, 5, false);
    // a label the features explain
    for (let i = 0; i < n; i++) ds.y[i] = rng.bernoulli(1 / (1 + Math.exp(-(0.04 * (ds.data[i * 4] || 50) - 2)))) ? 1 : 0;
    const make = () => (kind === 'logistic' ? new LogisticClassifier() : new GbdtClassifier({ numRounds: 30, nThreads: 1 }));
    const folds = groupFolds(Array.from({ length: n }, (_, i) => `D${i % 1_000}`), 3, 42);
    const oof = await outOfFoldPredictions(make(), ds, folds);
    for (let f = 0; f < 3; f++) {
      const fitIdx = [...folds.keys()].filter((i) => folds[i] !== f);
      const heldIdx = [...folds.keys()].filter((i) => folds[i] === f);
      const model = await make().fit(subsetDataset(ds, fitIdx), { seed: 42 });
      const p = model.predictProba(subsetDataset(ds, heldIdx));
      heldIdx.forEach((row, r) => expect(oof[row]).toBe(p[r]));
    }
  });
});
