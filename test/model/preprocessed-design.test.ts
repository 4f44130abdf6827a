/** The shifted design built from raw rows against shiftedDesign of the dense preprocessed matrix. */
import { Rng } from '../../src/core/rng';
import { column, columnsOf } from '../../src/model/dataset-ops';
import { applyPreprocessor, fitPreprocessor } from '../../src/model/preprocess';
import { preprocessedDesign } from '../../src/model/preprocessed-design';
import { shiftedDesign, shiftedObjective } from '../../src/model/shifted-design';

function rows(seed: number, n: number) {
  const rng = new Rng(seed);
  const q = 5;
  const data = new Float64Array(n * q);
  for (let i = 0; i < n; i++) {
    data[i * q] = rng.bernoulli(0.1) ? NaN : rng.normal() * 3 + (rng.bernoulli(0.01) ? 1e4 : 0); // numeric, outliers, missing
    data[i * q + 1] = rng.bernoulli(0.05) ? NaN : [0, 0, 0, 1, 2, 3][rng.int(6)]!; // small codes, missing
    data[i * q + 2] = rng.bernoulli(0.7) ? 999 : rng.int(4); // numeric with a sentinel majority
    data[i * q + 3] = [10000, -2, 7.5, 7.5, 7.5][rng.int(5)]!; // codes that index no table
    data[i * q + 4] = rng.bernoulli(0.6) ? 1 : 0; // a level held by most rows is the reference
  }
  return { nRows: n, nCols: q, data };
}

describe('preprocessedDesign', () => {
  it.each([
    ['standardised, clipped', { categorical: [1, 3, 4] }],
    ['raw indicators, no clipping', { categorical: [1, 3, 4], standardise: false, clipPercentiles: null }],
    ['no missing indicators, two levels kept', { categorical: [1, 3], missingIndicators: false, maxLevels: 2 }],
  ] as const)('is the shifted design of the preprocessed matrix (%s)', (_, options) => {
    const x = rows(11, 501);
    const state = fitPreprocessor(x, ['a', 'b', 'c', 'd', 'e'], options);
    const got = preprocessedDesign(state, x);
    const want = shiftedDesign(applyPreprocessor(state, x));
    expect(Array.from(got.base)).toEqual(Array.from(want.base));
    expect(Array.from(got.rowStart)).toEqual(Array.from(want.rowStart));
    expect(Array.from(got.col)).toEqual(Array.from(want.col));
    expect(Array.from(got.val)).toEqual(Array.from(want.val));
  });

  it('reads the same from columns copied out once: columnsOf equals each column, past its row blocks', () => {
    const x = rows(14, 5_001);
    const columns = columnsOf(x);
    columns.forEach((c, j) => expect(Array.from(c)).toEqual(Array.from(column(x, j))));
    const names = ['a', 'b', 'c', 'd', 'e'];
    const options = { categorical: [1, 3, 4] };
    const state = fitPreprocessor(x, names, options, columns);
    expect(state).toEqual(fitPreprocessor(x, names, options));
    const got = preprocessedDesign(state, x, columns);
    const want = preprocessedDesign(state, x);
    expect(Array.from(got.base)).toEqual(Array.from(want.base));
    expect(Array.from(got.rowStart)).toEqual(Array.from(want.rowStart));
    expect(Array.from(got.col)).toEqual(Array.from(want.col));
    expect(Array.from(got.val)).toEqual(Array.from(want.val));
  });

  it('a numeric column with no majority value but some standardised zeros: those rows do not deviate', () => {
    // 0, 1, −1 in turn: mean exactly 0, no value on half of the rows, so the baseline is 0 (and the
    // vote's last candidate is 1, not 0)
    const n = 600;
    const x = { nRows: n, nCols: 2, data: Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? [0, 1, -1][(k / 2) % 3]! : (k % 7) * 0.5)) };
    const state = fitPreprocessor(x, ['a', 'b'], {});
    const got = preprocessedDesign(state, x);
    const want = shiftedDesign(applyPreprocessor(state, x));
    expect(want.base[0]).toBe(0);
    expect(Array.from(got.base)).toEqual(Array.from(want.base));
    expect(Array.from(got.rowStart)).toEqual(Array.from(want.rowStart));
    expect(Array.from(got.col)).toEqual(Array.from(want.col));
    expect(Array.from(got.val)).toEqual(Array.from(want.val));
  });

  it('on rows the preprocessing was not fitted on, with unseen codes', () => {
    const state = fitPreprocessor(rows(12, 300), ['a', 'b', 'c', 'd', 'e'], { categorical: [1, 3, 4] });
    const other = rows(13, 200);
    other.data[7 * 5 + 1] = 42; // a code training never saw
    const got = preprocessedDesign(state, other);
    const want = shiftedDesign(applyPreprocessor(state, other));
    expect(Array.from(got.col)).toEqual(Array.from(want.col));
    expect(Array.from(got.val)).toEqual(Array.from(want.val));
  });

  it('a level on more than half of the rows takes its 1 as baseline: same objective as the dense design', () => {
    // the reference is the most frequent level, so a level past half the rows needs the other one
    // missing: code 0 on 55 % of rows with NaN on the rest makes the missing indicator the minority
    const n = 400;
    const rng = new Rng(3);
    const data = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      data[i * 2] = i < 0.55 * n ? NaN : 0; // missing on 55 %: the indicator's 1 is the majority
      data[i * 2 + 1] = rng.normal();
    }
    const x = { nRows: n, nCols: 2, data };
    const y = Uint8Array.from({ length: n }, () => (rng.bernoulli(0.3) ? 1 : 0));
    const state = fitPreprocessor(x, ['a', 'b'], { categorical: [0] });
    const got = preprocessedDesign(state, x);
    const want = shiftedDesign(applyPreprocessor(state, x));
    expect(Array.from(got.base)).toEqual(Array.from(want.base));
    const beta = Float64Array.from({ length: state.columns.length + 1 }, (_, a) => 0.1 * (a + 1));
    const a = shiftedObjective(got, y, undefined, 0.01, beta, true);
    const b = shiftedObjective(want, y, undefined, 0.01, beta, true);
    expect(a.value).toBeCloseTo(b.value, 12);
    a.hessian!.forEach((v, k) => expect(v).toBeCloseTo(b.hessian![k]!, 12));
  });
});
