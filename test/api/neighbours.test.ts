import { Rng } from '../../src/core/rng';
import type { ModelFrame } from '../../src/features';
import { columnStats, compareFeatures, nearestRows } from '../../src/api/neighbours';

function frame(rows: number[][], names = ['a', 'b', 'c']): ModelFrame {
  return { nRows: rows.length, nCols: names.length, data: Float64Array.from(rows.flat()), featureNames: names, debtorIds: rows.map((_, i) => `d${i}`), asOf: rows.map(() => '2026-11-24') };
}

describe('nearest neighbours', () => {
  test('match a brute-force sort of standardised distances, missing values counting as the mean', () => {
    const rng = new Rng(3);
    const rows = Array.from({ length: 300 }, () => [rng.normal(0, 1), rng.bernoulli(0.1) ? NaN : rng.normal(50, 20), rng.int(5)]);
    const f = frame(rows);
    const { mean, sd } = columnStats(f);
    const z = (i: number, j: number) => (Number.isNaN(rows[i]![j]!) ? 0 : (rows[i]![j]! - mean[j]!) / sd[j]!);
    for (const target of [0, 17, 299]) {
      const brute = rows
        .map((_, i) => ({ i, d: [0, 1, 2].reduce((s, j) => s + (z(i, j) - z(target, j)) ** 2, 0) }))
        .filter((x) => x.i !== target)
        .sort((x, y) => x.d - y.d)
        .slice(0, 12)
        .map((x) => x.i);
      expect(nearestRows(f, target, 12)).toEqual(brute);
    }
  });

  test('feature comparison: histogram counts, percentile, medians; one bin per value for counts', () => {
    const f = frame([[0, 1, 2], [1, 1, 2], [2, 1, 3], [3, NaN, 3], [4, 1, 4]]);
    const [a, b, c] = compareFeatures(f, 2, [1, 3], ['a', 'b', 'c', 'unknown']);
    expect(a!.value).toBe(2);
    expect(a!.populationPercentile).toBeCloseTo(2 / 5, 12);
    expect(a!.bins.map((x) => [x.x0, x.population, x.neighbours])).toEqual([[-0.5, 1, 0], [0.5, 1, 1], [1.5, 1, 0], [2.5, 1, 1], [3.5, 1, 0]]);
    expect(a!.neighboursMedian).toBe(2);
    expect(b!.bins.reduce((s, x) => s + x.population, 0)).toBe(4);
    expect(c!.populationMedian).toBe(3);
  });
});
