import { applyPreprocessor, fitPreprocessor, fitTransform, parsePreprocessState } from '../../src/model/preprocess';

const matrix = (rows: number[][]) => ({ nRows: rows.length, nCols: rows[0]!.length, data: Float64Array.from(rows.flat()) });

describe('preprocessing for linear models', () => {
  test('median imputation, missing indicators and clipping are learned from training rows only', () => {
    // column a: 1..9 plus a missing; column b: no missing, one outlier
    const train = matrix([[1, 0], [2, 0], [3, 0], [4, 0], [NaN, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 100]]);
    const state = fitPreprocessor(train, ['a', 'b'], { clipPercentiles: [10, 90], standardise: false });
    expect(state.columns.map((c) => c.name)).toEqual(['a', 'a:missing', 'b']);
    const a = state.columns[0]!;
    expect(a.median).toBe(5);
    expect(a.lo).toBeCloseTo(1.8, 12); // numpy-style: 1 + 0.1·8
    expect(a.hi).toBeCloseTo(8.2, 12);
    expect(state.columns[2]!.hi).toBeCloseTo(10, 12); // 0.9·9 = 8.1 → 0 + 0.1·100
    const test = applyPreprocessor(state, matrix([[NaN, 5], [-50, 1e9], [50, 0]]));
    [5, 1, 5, 1.8, 0, 10, 8.2, 0, 0].forEach((v, k) => expect(test.data[k]).toBeCloseTo(v, 10));
  });

  test('standardised columns have mean 0 and sd 1 on training rows', () => {
    const train = matrix([[1, 3], [2, NaN], [3, 4], [10, 8]]);
    const state = fitPreprocessor(train, ['a', 'b']);
    const z = applyPreprocessor(state, train);
    for (let k = 0; k < z.nCols; k++) {
      let s = 0, ss = 0;
      for (let i = 0; i < z.nRows; i++) { s += z.data[i * z.nCols + k]!; ss += z.data[i * z.nCols + k]! ** 2; }
      expect(s / z.nRows).toBeCloseTo(0, 12);
      expect(ss / z.nRows).toBeCloseTo(1, 12);
    }
  });

  test('categorical codes are one-hot encoded with the most frequent level as reference', () => {
    const train = matrix([[0], [1], [1], [2], [1], [NaN]]);
    const state = fitPreprocessor(train, ['city'], { categorical: [0], standardise: false });
    expect(state.columns.map((c) => c.name)).toEqual(['city=0', 'city=2', 'city:missing']);
    const out = applyPreprocessor(state, matrix([[0], [1], [2], [7], [NaN]]));
    expect(Array.from(out.data)).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  test('the state survives JSON, open bounds included; bad options and states are named', () => {
    const train = matrix([[1], [2], [3]]);
    const state = fitPreprocessor(train, ['a'], { clipPercentiles: null });
    const back = parsePreprocessState(JSON.parse(JSON.stringify(state)));
    expect(Array.from(applyPreprocessor(back, matrix([[1e9]])).data)).toEqual(Array.from(applyPreprocessor(state, matrix([[1e9]])).data));
    expect(() => fitPreprocessor(train, ['a'], { clipPercentiles: [50, 10] })).toThrow(/clipPercentiles/);
    expect(() => fitPreprocessor(train, ['a'], { categorical: [3] })).toThrow(/categorical/);
    expect(() => parsePreprocessState({ inputNames: ['a'], columns: [{ kind: 'x', source: 0 }] })).toThrow(/columns\[0\]\.kind/);
    expect(() => applyPreprocessor(state, matrix([[1, 2]]))).toThrow(/expects 1 input columns/);
  });
});

describe('fitTransform', () => {
  it('returns exactly the matrix applyPreprocessor gives, with the same state as fitPreprocessor', () => {
    const n = 200;
    const data = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      data[i * 3] = i % 17 === 0 ? NaN : Math.sin(i) * 100 + (i === 5 ? 1e6 : 0);
      data[i * 3 + 1] = i % 5; // categorical codes
      data[i * 3 + 2] = i % 3 === 0 ? NaN : i % 7;
    }
    const x = { nRows: n, nCols: 3, data };
    const names = ['a', 'b', 'c'];
    const options = { categorical: [1], maxLevels: 3 };
    const { state, z } = fitTransform(x, names, options);
    expect(state).toEqual(fitPreprocessor(x, names, options));
    expect(Array.from(z.data)).toEqual(Array.from(applyPreprocessor(state, x).data));
    expect(z.nCols).toBe(state.columns.length);
  });
});
