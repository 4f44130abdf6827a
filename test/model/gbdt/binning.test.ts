/** Quantile binning: the matrix of codes against the code of each value, and the bins against a sort. */
import { Rng } from '../../../src/core/rng';
import { binMatrix, binOf, fitBinnings, MISSING_BIN } from '../../../src/model/gbdt/binning';

describe('GBDT binning', () => {
  it('codes every value of a matrix as binOf codes it: numeric with missing values, spikes and ties, and categorical', () => {
    const rng = new Rng(21);
    const n = 20_000;
    const q = 4;
    const data = new Float64Array(n * q);
    for (let i = 0; i < n; i++) {
      data[i * q] = rng.bernoulli(0.1) ? NaN : rng.normal() * 1e3; // continuous: more values than bins
      data[i * q + 1] = rng.bernoulli(0.6) ? 0 : rng.int(40); // a spike and few values
      data[i * q + 2] = rng.bernoulli(0.05) ? NaN : rng.int(6); // categorical codes
      data[i * q + 3] = (rng.next() - 0.5) * 10 ** rng.int(8); // both signs, many octaves
    }
    const x = { nRows: n, nCols: q, data };
    const binnings = fitBinnings(x, new Set([2]), 255, ['a', 'b', 'c', 'd']);
    const codes = binMatrix(x, binnings);
    for (let f = 0; f < q; f++) {
      for (let r = 0; r < n; r++) expect(codes[f * n + r]).toBe(binOf(binnings[f]!, data[r * q + f]!));
    }
    expect(codes[0 * n + data.findIndex((v, k) => k % q === 0 && Number.isNaN(v)) / q]).toBe(MISSING_BIN);
    // bins of a numeric column: ascending bounds ending at +∞, at most 255 value bins
    for (const f of [0, 1, 3]) {
      const b = binnings[f]!;
      if (b.kind !== 'numeric') throw new Error('numeric expected');
      expect(b.upperBounds.length).toBeLessThanOrEqual(255);
      expect(b.upperBounds[b.upperBounds.length - 1]).toBe(Infinity);
      for (let k = 1; k < b.upperBounds.length; k++) expect(b.upperBounds[k]!).toBeGreaterThan(b.upperBounds[k - 1]!);
    }
    // few values: one bin each, cut halfway between neighbours
    const few = binnings[1]!;
    if (few.kind !== 'numeric') throw new Error('numeric expected');
    expect(few.upperBounds.length).toBe(40);
    expect(few.upperBounds[0]).toBe(0.5);
  });
});
