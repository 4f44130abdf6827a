/** JSON round trip, and the batch, single-row and generic prediction paths agreeing. */
import { GbdtClassifier, GbdtModel, closePredictionPool, loadGbdt } from '../../../src/model/gbdt';
import { CodedForest } from '../../../src/model/gbdt/coded-forest';
import { FlatForest } from '../../../src/model/gbdt/flat-forest';
import { logisticData, matrix } from './synthetic';

describe('GBDT serialisation and prediction paths', () => {
  afterAll(() => closePredictionPool());

  it('round-trips through JSON text and predicts and explains identically', async () => {
    const data = logisticData(1500, 5, 21, 0.1);
    const x = data.data.slice();
    for (let r = 0; r < data.nRows; r++) x[r * 5 + 4] = r % 7;
    const train = { ...data, data: x, categorical: [4] };
    const model = await new GbdtClassifier({ numRounds: 20, numLeaves: 8, minDataInLeaf: 10, nThreads: 1 }).fit(train);
    const text = JSON.stringify(model.toJSON());
    const loaded = loadGbdt(JSON.parse(text));
    expect(loaded.featureNames).toEqual(model.featureNames);
    expect(JSON.stringify(loaded.toJSON())).toBe(text);
    const m = matrix(train);
    expect(Array.from(loaded.predictProba(m))).toEqual(Array.from(model.predictProba(m)));
    const head = { nRows: 50, nCols: 5, data: x.slice(0, 250) };
    const [a, b] = [model.explain(head), loaded.explain(head)];
    expect(b.expectedValue).toBe(a.expectedValue);
    expect(Array.from(b.contributions)).toEqual(Array.from(a.contributions));
  });

  it('batch prediction equals single-row prediction, with and without the coded fast path', async () => {
    const data = logisticData(3003, 6, 22, 0.1); // not a multiple of 4: rows walked four at a time, then one by one
    const model = await new GbdtClassifier({ numRounds: 30, numLeaves: 15, minDataInLeaf: 10, nThreads: 1 }).fit(data);
    const batch = model.predictProba(matrix(data));
    for (let r = 0; r < data.nRows; r += 7) {
      expect(model.predictRow(data.data.subarray(r * 6, r * 6 + 6))).toBe(batch[r]);
    }
    // The branch-free coded forest and the generic branching forest agree to the bit.
    const coded = CodedForest.tryBuild(model.trees, 6)!;
    const [fast, generic] = [new Float64Array(data.nRows), new Float64Array(data.nRows)];
    coded.addRaw(data.data, 6, data.nRows, fast);
    new FlatForest(model.trees).addRaw(data.data, 6, data.nRows, generic);
    expect(Array.from(fast)).toEqual(Array.from(generic));
  });

  it('codes categorical splits in the fast path: same scores as the node-by-node walk, unseen and missing codes included', async () => {
    const data = logisticData(3001, 5, 24, 0.1);
    const x = data.data.slice();
    // two categorical columns whose codes carry signal, one with gaps between its codes
    for (let r = 0; r < data.nRows; r++) {
      x[r * 5 + 3] = r % 11 === 0 ? NaN : (r * 7) % 9;
      x[r * 5 + 4] = 3 * (r % 6);
      if (((r * 7) % 9) % 3 === 0 && data.y[r] === 0 && r % 2 === 0) data.y[r] = 1;
    }
    const train = { ...data, data: x, categorical: [3, 4] };
    const model = await new GbdtClassifier({ numRounds: 30, numLeaves: 15, minDataInLeaf: 10, nThreads: 1 }).fit(train);
    expect(model.trees.some((t) => t.categories.some((c) => c !== null))).toBe(true);
    // scoring rows: the training rows, then codes never seen in training (−0 aside) and NaN
    const n = data.nRows + 3;
    const rows = new Float64Array(n * 5);
    rows.set(x);
    rows.set([0.1, -0.2, 0.3, 100, 7], data.nRows * 5);
    rows.set([NaN, NaN, NaN, NaN, NaN], (data.nRows + 1) * 5);
    rows.set([1, 1, 1, 4.5, 15], (data.nRows + 2) * 5);
    const coded = CodedForest.tryBuild(model.trees, 5);
    expect(coded).not.toBeNull();
    const fast = new Float64Array(n);
    coded!.addRaw(rows, 5, n, fast, false);
    const parallel = new Float64Array(n);
    coded!.addRaw(rows, 5, n, parallel, true);
    for (let r = 0; r < n; r++) {
      // Tree.leafOf: the plain walk on raw values, the definition of a prediction
      let raw = 0;
      for (const tree of model.trees) raw += tree.value[tree.leafOf(rows, r * 5)] as number;
      expect(fast[r]).toBeCloseTo(raw, 12);
    }
    expect(Array.from(parallel)).toEqual(Array.from(fast));
  });

  it('splits a large batch across prediction workers with the same scores', async () => {
    const data = logisticData(2000, 4, 23, 0.1);
    const model = await new GbdtClassifier({ numRounds: 20, numLeaves: 15, minDataInLeaf: 10, nThreads: 1 }).fit(data);
    const big = new Float64Array(60_000 * 4);
    for (let i = 0; i < big.length; i++) big[i] = data.data[i % data.data.length]!;
    const reference = new Float64Array(60_000).fill(model.baseScore);
    new FlatForest(model.trees).addRaw(big, 4, 60_000, reference);
    expect(Array.from(model.predictRaw({ nRows: 60_000, nCols: 4, data: big }))).toEqual(Array.from(reference));
    // Forced onto the workers, whatever the machine's load.
    const split = new Float64Array(60_000).fill(model.baseScore);
    CodedForest.tryBuild(model.trees, 4)!.addRaw(big, 4, 60_000, split, true);
    expect(Array.from(split)).toEqual(Array.from(reference));
  });

  it('rejects malformed JSON with a clear error', () => {
    expect(() => loadGbdt({ kind: 'logistic' })).toThrow(/kind must be "gbdt"/);
    expect(() => loadGbdt({ kind: 'gbdt', formatVersion: 2 })).toThrow(/formatVersion/);
    const bad = { kind: 'gbdt', formatVersion: 1, featureNames: ['a'], baseScore: 0, categorical: [], trees: [{ feature: [0, -1], threshold: [0, 0], defaultLeft: [0, 0], left: [1, -1], right: [5, -1], value: [0, 1], gain: [0, 0], cover: [1, 1], categories: {}, rightCategories: {} }] };
    expect(() => loadGbdt(bad)).toThrow(/node 0/);
    expect(() => new GbdtModel(['a'], 0, []).predictProba({ nRows: 1, nCols: 2, data: new Float64Array(2) })).toThrow(/expects 1 columns/);
  });
});
