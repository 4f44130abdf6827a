import { Rng } from '../../src/core/rng';
import { finiteQuantiles, quantileSorted, radixSorted, sortedFinite } from '../../src/model/quantile';

describe('quantiles by counting and selection', () => {
  it('give the very numbers of interpolating the sorted values, on ties, sentinels, missing values and sorted input', () => {
    const rng = new Rng(9);
    const samples: number[][] = [
      Array.from({ length: 2001 }, () => rng.normal()),
      Array.from({ length: 3000 }, () => rng.int(4)), // few distinct values
      Array.from({ length: 999 }, () => (rng.bernoulli(0.9) ? 999 : rng.next())), // one value on 90 %
      Array.from({ length: 1000 }, (_, i) => i), // sorted
      Array.from({ length: 1000 }, (_, i) => 1000 - i), // reversed
      Array.from({ length: 777 }, () => (rng.bernoulli(0.2) ? NaN : rng.normal() * 1e6)),
      [5], [], [2, 1],
      Array.from({ length: 4001 }, () => (rng.next() - 0.5) * 10 ** rng.int(12)), // both signs, many octaves
      Array.from({ length: 3001 }, () => [0, -0, 1, -1, Infinity, -Infinity, 5e-324, -5e-324][rng.int(8)]!), // ±0, ±∞, subnormals
      Array.from({ length: 5000 }, (_, i) => 1 + (i % 97) * 1e-12), // every value in one bucket of the first pass
      Array.from({ length: 100_000 }, () => (rng.bernoulli(0.5) ? 0 : rng.next() * 1e5)), // half zeros, large
    ];
    const qs = [0.5, 0.005, 0.995, 0, 1, 0.3333];
    for (const s of samples) {
      const values = Float64Array.from(s);
      const sorted = sortedFinite(values);
      const want = qs.map((q) => quantileSorted(sorted, q));
      const before = Float64Array.from(values);
      expect(finiteQuantiles(values, qs)).toEqual({ quantiles: want, count: sorted.length });
      expect(values).toEqual(before); // read, not reordered
    }
  });
});

describe('radixSorted', () => {
  it('orders numbers as the comparison sort does: both signs, ±0, ±∞, subnormals, ties, integers', () => {
    const rng = new Rng(4);
    const samples: number[][] = [
      Array.from({ length: 10_000 }, () => (rng.next() - 0.5) * 10 ** rng.int(30) * (rng.bernoulli(0.01) ? 1e-300 : 1)),
      Array.from({ length: 5_000 }, () => [0, -0, 1, -1, Infinity, -Infinity, 5e-324, -5e-324, 2.5][rng.int(9)]!),
      Array.from({ length: 50_000 }, () => rng.int(20)), // integers: the low half of every key is 0
      Array.from({ length: 3_000 }, () => 7), // one value
      Array.from({ length: 100 }, () => rng.normal()), // small: the comparison sort
    ];
    for (const s of samples) {
      const values = Float64Array.from(s);
      const before = Float64Array.from(values);
      const got = radixSorted(values);
      const want = Float64Array.from(values).sort();
      expect(Array.from(got).map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(Array.from(want).map((v) => Object.is(v, -0) ? '-0' : v));
      expect(values).toEqual(before);
    }
  });
});

