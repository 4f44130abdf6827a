import { isErrorNamed } from '../../src/core/errors';
import { realisedPerformance, scoreDeciles } from '../../src/monitoring/realised-performance';
import type { RealisedPerformance } from '../../src/monitoring/store';

/** A small deterministic generator (LCG), so the data are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** AUC by counting every (payer, non-payer) pair: 1 if the payer scores higher, ½ on a tie. */
function bruteForceAuc(scores: number[], paid: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((sp, i) => {
    if (paid[i] !== 1) return;
    scores.forEach((sn, j) => {
      if (paid[j] !== 0) return;
      pairs++;
      wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

function sample(n: number, seed: number, levels: number): { scores: number[]; paid: number[] } {
  const rnd = lcg(seed);
  const scores = Array.from({ length: n }, () => Math.floor(rnd() * levels) / levels);
  const paid = scores.map((s) => (rnd() < 0.05 + 0.9 * s ? 1 : 0));
  return { scores, paid };
}

describe('realised performance', () => {
  test.each([[400, 1, 1000], [300, 2, 7], [250, 3, 2]])('AUC equals brute-force pair counting (n=%i, seed %i, %i score levels)', (n, seed, levels) => {
    const { scores, paid } = sample(n, seed, levels);
    const r = realisedPerformance(scores, paid);
    expect(r.auc).not.toBeNull();
    expect(Math.abs((r.auc as number) - bruteForceAuc(scores, paid))).toBeLessThan(1e-12);
  });

  test('deciles: ten equal groups for distinct scores, decile 1 the highest, pay rates counted per group', () => {
    const scores = Array.from({ length: 100 }, (_, i) => (i * 37) % 100 / 100);
    const paid = scores.map((s) => (s >= 0.5 ? 1 : 0));
    const r = realisedPerformance(scores, paid);
    expect(r.deciles.map((d) => d.n)).toEqual(Array(10).fill(10));
    expect(r.deciles.map((d) => d.nPaid)).toEqual([10, 10, 10, 10, 10, 0, 0, 0, 0, 0]);
    expect(r.deciles[0]?.meanPPay).toBeCloseTo(0.945, 12);
    expect(r.deciles[9]?.meanPPay).toBeCloseTo(0.045, 12);
    expect([r.n, r.nPaid, r.payRate, r.auc, r.alert]).toEqual([100, 50, 0.5, 1, false]);
  });

  test('tied scores share a decile whatever the row order', () => {
    const { scores, paid } = sample(200, 4, 3);
    const perm = Array.from({ length: 200 }, (_, i) => (i * 71) % 200);
    const a = realisedPerformance(scores, paid);
    const b = realisedPerformance(perm.map((i) => scores[i] as number), perm.map((i) => paid[i] as number));
    expect(b.deciles).toEqual(a.deciles);
    expect(a.deciles.length).toBeLessThanOrEqual(3);
    const d = scoreDeciles([0.9, 0.5, 0.5, 0.5, 0.1]);
    expect(Array.from(d)).toEqual([1, 3, 3, 3, 9]);
  });

  test('alerts when the AUC is under the floor, not when only one outcome was observed', () => {
    const { scores, paid } = sample(300, 5, 1000);
    const inverted = scores.map((s) => 1 - s);
    expect(realisedPerformance(scores, paid).alert).toBe(false);
    const bad = realisedPerformance(inverted, paid);
    expect(bad.auc).toBeLessThan(0.5);
    expect([bad.alert, bad.aucFloor]).toEqual([true, 0.65]);
    expect(realisedPerformance(scores, paid, { aucFloor: 0.99 }).alert).toBe(true);
    const allPaid = realisedPerformance([0.2, 0.4], [1, 1]);
    expect([allPaid.auc, allPaid.alert, allPaid.payRate]).toEqual([null, false, 1]);
  });

  test('the result fits what monitoring/store saves', () => {
    const r = realisedPerformance([0.9, 0.2, 0.6, 0.4], [1, 0, 1, 0]);
    const stored: RealisedPerformance = { listDate: '2026-11-02', modelVersionId: 'v1', horizonDays: 30, ...r };
    expect(stored.deciles[0]).toEqual({ decile: 1, n: 1, nPaid: 1, payRate: 1, meanPPay: 0.9 });
  });

  test('refuses mismatched lengths, non-binary outcomes, non-finite scores and empty input', () => {
    const name = (fn: () => unknown): string | undefined => {
      try { fn(); } catch (e) { return isErrorNamed(e, 'ValidationError') ? (e as Error).message : `other: ${String(e)}`; }
      return undefined;
    };
    expect(name(() => realisedPerformance([0.1, 0.2], [1]))).toMatch(/differ in length/);
    expect(name(() => realisedPerformance([0.1, 0.2], [1, 2]))).toMatch(/must be 0 or 1/);
    expect(name(() => realisedPerformance([0.1, NaN], [1, 0]))).toMatch(/not a finite number/);
    expect(name(() => realisedPerformance([], []))).toMatch(/no scored row/);
  });
});
