import { jensenShannonDistance, jensenShannonTest } from '../../../src/monitoring/drift/jensen-shannon';
import { normedWasserstein, wassersteinDistance } from '../../../src/monitoring/drift/wasserstein';
import { chiSquareTest } from '../../../src/monitoring/drift/chisquare';
import { zTest } from '../../../src/monitoring/drift/z-test';

describe('Wasserstein distance', () => {
  test('equals the mean gap between sorted samples when both have the same size', () => {
    const a = [3.2, -1, 0.5, 7, 2.25, 2.25];
    const b = [0, 0, 4, 1.5, 9, -2];
    const sa = [...a].sort((x, y) => x - y);
    const sb = [...b].sort((x, y) => x - y);
    const expected = sa.reduce((s, v, i) => s + Math.abs(v - (sb[i] as number)), 0) / a.length;
    expect(wassersteinDistance(a, b)).toBeCloseTo(expected, 14);
  });

  test('is the shift between a sample and its translate, and is normed by the reference std (ddof 0)', () => {
    const a = [1, 2, 3, 4];
    expect(wassersteinDistance(a, a.map((v) => v + 0.5))).toBeCloseTo(0.5, 15);
    const r = normedWasserstein(a, a.map((v) => v + 0.5));
    expect(r.scale).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(r.score).toBeCloseTo(0.5 / Math.sqrt(1.25), 15);
  });
});

describe('Jensen–Shannon distance', () => {
  test('is 0 for equal distributions and √ln 2 for disjoint ones (natural log)', () => {
    expect(jensenShannonDistance([0.2, 0.8], [2, 8])).toBeCloseTo(0, 15);
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(Math.sqrt(Math.LN2), 15);
  });

  test('compares value shares over the union of categories without smoothing', () => {
    const r = jensenShannonTest(['a', 'a', 'b', 'b'], ['a', 'c'], 'cat');
    expect(r.shares).toEqual({ binning: 'categories', categories: ['a', 'b', 'c'], referenceShares: [0.5, 0.5, 0], currentShares: [0.5, 0, 0.5] });
    const m = [0.5, 0.25, 0.25];
    const kl = (p: number[]): number => p.reduce((s, v, i) => (v > 0 ? s + v * Math.log(v / (m[i] as number)) : s), 0);
    expect(r.distance).toBeCloseTo(Math.sqrt((kl([0.5, 0.5, 0]) + kl([0.5, 0, 0.5])) / 2), 15);
  });
});

describe('chi-square and z tests', () => {
  test('chi-square compares current counts with reference counts scaled to the current size', () => {
    const ref = [...Array(20).fill('x'), ...Array(30).fill('y')] as string[];
    const cur = [...Array(25).fill('x'), ...Array(15).fill('y')] as string[];
    const r = chiSquareTest(ref, cur);
    // Expected counts 20·40/50 = 16 and 30·40/50 = 24; scipy.stats.chisquare([25, 15], [16, 24]).
    expect(r.statistic).toBe(8.4375);
    expect(r.dof).toBe(1);
    expect(r.pValue).toBeCloseTo(0.003675612117741226, 15);
  });

  test('z-test encodes the first sorted value as 0 and is symmetric in sign', () => {
    const a = zTest(['no', 'yes', 'yes', 'no', 'no'], ['yes', 'yes', 'yes', 'no']);
    expect(a.referenceKey).toBe('no');
    const p1 = 2 / 5;
    const p2 = 3 / 4;
    const P = 5 / 9;
    expect(a.statistic).toBeCloseTo((p1 - p2) / Math.sqrt(P * (1 - P) * (1 / 5 + 1 / 4)), 14);
    const b = zTest(['yes', 'yes', 'yes', 'no'], ['no', 'yes', 'yes', 'no', 'no']);
    expect(b.statistic).toBeCloseTo(-(a.statistic as number), 14);
    expect(b.pValue).toBeCloseTo(a.pValue, 14);
  });

  test('z p-value reaches exactly 0 once Φ(|z|) rounds to 1', () => {
    const ref = Array.from({ length: 1000 }, (_, i) => (i < 100 ? 1 : 0));
    const cur = Array.from({ length: 1000 }, (_, i) => (i < 900 ? 1 : 0));
    const r = zTest(ref, cur);
    expect(Math.abs(r.statistic as number)).toBeGreaterThan(8.3);
    expect(r.pValue).toBe(0);
  });
});
