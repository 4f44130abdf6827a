import { binnedShares, fillZeroShares } from '../../../src/monitoring/drift/binned-shares';
import { histogramCounts, sturgesEdges } from '../../../src/monitoring/drift/histogram';
import { populationStabilityIndex, psiTest } from '../../../src/monitoring/drift/psi';

describe('Sturges histograms as numpy builds them', () => {
  test('edges match np.histogram_bin_edges(bins="sturges"), including the extra bin from rounding', () => {
    const x = [...Array.from({ length: 32 }, (_, i) => i * 0.5), ...Array.from({ length: 32 }, (_, i) => 1.5 + i * 0.5)];
    expect(sturgesEdges(x)).toEqual([0.0, 2.125, 4.25, 6.375, 8.5, 10.625, 12.75, 14.875, 17.0]);
    expect(sturgesEdges([0, 0.1, 0.2, 0.30000000000000004, 1, 1, 5.5])).toEqual([0.0, 1.375, 2.75, 4.125, 5.5]);
  });

  test('a constant sample gets one bin of width 1 around its value', () => {
    expect(sturgesEdges([1, 1, 1, 1])).toEqual([0.5, 1.5]);
    expect(histogramCounts([1, 1, 1, 1], [0.5, 1.5])).toEqual([4]);
  });

  test('bins are half-open except the last; values outside the edges are not counted', () => {
    const edges = [0.0, 1.375, 2.75, 4.125, 5.5];
    expect(histogramCounts([0, 0.1, 0.2, 0.30000000000000004, 1, 1, 5.5], edges)).toEqual([6, 0, 0, 1]);
    expect(histogramCounts([-1, 0, 5.5, 6, 2.5, 1.375], edges)).toEqual([1, 2, 0, 1]);
  });
});

describe('binned shares and PSI', () => {
  test('zeros are filled per side: min/1e6 when the smallest share is at most 1e-4, else 1e-4', () => {
    expect(fillZeroShares([0.99995, 5e-5, 0])).toEqual([0.99995, 5e-5, 5e-11]);
    expect(fillZeroShares([0.75, 0, 0.25])).toEqual([0.75, 0.0001, 0.25]);
    expect(fillZeroShares([1e-4, 0, 0.9999])).toEqual([1e-4, 1e-10, 0.9999]);
  });

  test('a numerical reference with 20 distinct values uses categories, with 21 a histogram', () => {
    const twenty = Array.from({ length: 40 }, (_, i) => i % 20);
    const twentyOne = Array.from({ length: 42 }, (_, i) => i % 21);
    expect(binnedShares(twenty, [0, 25], 'num', false).binning).toBe('categories');
    expect(binnedShares(twentyOne, [0, 25], 'num', false).binning).toBe('sturges_histogram');
    expect(binnedShares(twentyOne.map(String), ['0'], 'cat', false).binning).toBe('categories');
  });

  test('PSI is Σ (ref − cur) ln(ref / cur), symmetric, and zero for equal shares', () => {
    const r = [0.2, 0.3, 0.5];
    const c = [0.25, 0.25, 0.5];
    const expected = (0.2 - 0.25) * Math.log(0.2 / 0.25) + (0.3 - 0.25) * Math.log(0.3 / 0.25);
    expect(populationStabilityIndex(r, c)).toBeCloseTo(expected, 15);
    expect(populationStabilityIndex(c, r)).toBeCloseTo(expected, 15);
    expect(psiTest(['a', 'b', 'b'], ['b', 'a', 'b'], 'cat').psi).toBe(0);
  });
});
