import { kolmogorovSurvival } from '../../../src/monitoring/drift/kolmogorov';
import { KS_MAX_EXACT_N, ksExactOutsideBand, ksExactOutsideSquare, ksStatistic, ksTwoSample } from '../../../src/monitoring/drift/ks';
import { smirnovSurvival } from '../../../src/monitoring/drift/smirnov';
import { expectRelative } from './drift-fixtures';

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Brute force: over every interleaving of n1 and n2 distinct points (each equally likely under
 * the null), the share whose D·lcm is at least h, for every h.
 */
function bruteForceOutside(n1: number, n2: number): number[] {
  const lcm = (n1 * n2) / gcd(n1, n2);
  const atLeast = new Array<number>(lcm + 2).fill(0);
  let total = 0;
  const walk = (i: number, j: number, maxDev: number): void => {
    if (i === n1 && j === n2) {
      total++;
      for (let h = 0; h <= maxDev; h++) atLeast[h] = (atLeast[h] as number) + 1;
      return;
    }
    const dev = (a: number, b: number): number => Math.abs(a * (lcm / n1) - b * (lcm / n2));
    if (i < n1) walk(i + 1, j, Math.max(maxDev, dev(i + 1, j)));
    if (j < n2) walk(i, j + 1, Math.max(maxDev, dev(i, j + 1)));
  };
  walk(0, 0, 0);
  return atLeast.map((c) => c / total);
}

describe('exact two-sample KS null distribution', () => {
  test.each([[3, 5], [4, 6], [5, 7], [2, 9], [7, 4], [6, 8]])('n1=%i, n2=%i: lattice recursion equals counting every interleaving', (n1, n2) => {
    const expected = bruteForceOutside(n1, n2);
    const lcm = (n1 * n2) / gcd(n1, n2);
    for (let h = 1; h <= lcm; h++) expectRelative(ksExactOutsideBand(n1, n2, h), expected[h] as number, 1e-12, `h=${h}`);
  });

  test.each([[4], [6], [8]])('n1=n2=%i: the square formula equals counting every interleaving', (n) => {
    const expected = bruteForceOutside(n, n);
    for (let h = 1; h <= n; h++) expectRelative(ksExactOutsideSquare(n, h), expected[h] as number, 1e-12, `h=${h}`);
  });
});

describe('two-sample KS test', () => {
  test('D keeps the larger of the positive and negative deviations, ties included', () => {
    expect(ksStatistic([1, 2, 2, 3], [2, 2, 4])).toBeCloseTo(1 / 3, 15);
    expect(ksStatistic([5, 6, 7], [1, 2, 3])).toBe(1);
    expect(ksStatistic([1, 2, 3], [1, 2, 3])).toBe(0);
  });

  test('identical samples give D = 0 and p = 1; order of input does not matter', () => {
    const r = ksTwoSample([3, 1, 2, 2], [2, 3, 2, 1]);
    expect(r).toEqual({ statistic: 0, pValue: 1, method: 'exact', lcm: 4, h: 0 });
    expect(ksTwoSample([0.3, 0.1, 0.9, 0.5], [1.2, 0.05, 2, 0.7, 3])).toEqual(ksTwoSample([0.1, 0.3, 0.5, 0.9], [0.05, 0.7, 1.2, 2, 3]));
  });

  test(`switches to the finite-n Kolmogorov distribution above ${KS_MAX_EXACT_N} points on one side`, () => {
    const small = Array.from({ length: 20 }, (_, i) => i / 20);
    const exact = ksTwoSample(small, Array.from({ length: KS_MAX_EXACT_N }, (_, i) => (i % 20) / 20 + 0.01));
    const asymp = ksTwoSample(small, Array.from({ length: KS_MAX_EXACT_N + 20 }, (_, i) => (i % 20) / 20 + 0.01));
    expect([exact.method, asymp.method]).toEqual(['exact', 'asymp']);
    expect(asymp.pValue).toBe(kolmogorovSurvival(Math.round((20 * (KS_MAX_EXACT_N + 20)) / (KS_MAX_EXACT_N + 40)), asymp.statistic));
  });
});

describe('finite-n Kolmogorov and Smirnov distributions against scipy 1.10.1', () => {
  // scipy.stats.kstwo.sf(x, n), one point per branch of scipy's method choice.
  const KSTWO: [number, number, number, string][] = [
    [10, 0.04, 1.0, 't <= 1/2'],
    [10, 0.08, 0.9999978058034054, 'Ruben-Gambino, n <= 140'],
    [200, 0.004, 1.0, 'Ruben-Gambino, n > 140'],
    [10, 0.95, 1.9531250000000172e-13, 't >= n - 1'],
    [10, 0.6, 0.0005681672000000003, 'x >= 1/2: 2 x Smirnov'],
    [50, 0.1, 0.6623112704658186, 'n <= 140, nx2 <= 0.754693: Durbin matrix'],
    [50, 0.2, 0.03143877776953241, 'n <= 140, nx2 <= 4: Pomeranz'],
    [100, 0.15, 0.019839242125643017, 'n <= 140, nx2 <= 4: Pomeranz'],
    [50, 0.35, 5.573523514803185e-06, 'n <= 140, nx2 > 4: 2 x Smirnov'],
    [2000, 0.45, 0.0, 'nx2 >= 370'],
    [480, 1 / 6, 4.01842866506212e-12, 'n > 140, nx2 >= 2.2: 2 x Smirnov'],
    [141, 0.04, 0.9710682269013183, 'n > 140, small n x^1.5: Durbin matrix'],
    [1000, 0.0125, 0.9971528020597908, 'n > 140, small n x^1.5: Durbin matrix'],
    [1000, 0.03, 0.3226902143914636, 'n > 140: Pelz-Good'],
    [200000, 0.003, 0.0545369786611305, 'n > 100000: Pelz-Good'],
  ];
  test.each(KSTWO)('n=%p, x=%p: kstwo.sf = %p (%s)', (n, x, expected) => {
    expectRelative(kolmogorovSurvival(n, x), expected, 1e-10, `kstwo.sf(${x}, ${n})`);
  });

  // scipy.special.smirnov(n, x)
  const SMIRNOV: [number, number, number][] = [
    [1, 0.3, 0.7], [5, 0.1, 0.85359], [5, 0.5, 0.056], [30, 0.2, 0.07901431818133459],
    [500, 0.05, 0.07937040397120126], [500, 0.12, 4.94197175294286e-07], [3000, 0.9, 0.0],
  ];
  test.each(SMIRNOV)('n=%p, x=%p: smirnov = %p', (n, x, expected) => {
    expectRelative(smirnovSurvival(n, x), expected, 1e-11, `smirnov(${n}, ${x})`);
  });

  test('invalid n gives NaN', () => {
    expect(kolmogorovSurvival(2.5, 0.1)).toBeNaN();
    expect(smirnovSurvival(0, 0.1)).toBeNaN();
  });
});
