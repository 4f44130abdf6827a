/**
 * The realised-uplift intervals against published worked examples: Newcombe's (1998) six
 * examples for the difference of proportions, his single-proportion example for Wilson's
 * interval, and R's documented Welch test on Student's sleep data; plus the coverage of the
 * intervals on simulated lists whose true difference is known.
 */
import { newcombeInterval, wilsonInterval } from '../../../src/monitoring/uplift/proportion-difference';
import { moments, welchInterval } from '../../../src/monitoring/uplift/welch';
import { normalQuantile, studentTQuantile } from '../../../src/monitoring/uplift/distributions';
import { realisedUplift } from '../../../src/monitoring/uplift/realised-uplift';

/** A small deterministic generator (LCG), so the data are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('quantiles', () => {
  it('match the printed tables (z and t at 97.5 %, z at 80 %)', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 6);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959964, 6);
    // Student's t table: df 1, 10, 30; and the normal limit.
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706205, 5);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 6);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042272, 6);
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.015048, 6);
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
  });
});

describe('Wilson and Newcombe intervals', () => {
  it("Wilson's interval of 81/263 is 0.2553 to 0.3662 (Newcombe 1998, Stat Med 17:857)", () => {
    const w = wilsonInterval(81, 263);
    expect(w.low).toBeCloseTo(0.2553, 4);
    expect(w.high).toBeCloseTo(0.3662, 4);
  });

  // Newcombe (1998), "Interval estimation for the difference between independent proportions:
  // comparison of eleven methods", Stat Med 17:873, table II, method 10 (score, no correction).
  test.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [10, 10, 0, 20, 0.6791, 1.0],
  ])('%i/%i − %i/%i: %f to %f', (x1, n1, x2, n2, low, high) => {
    const r = newcombeInterval(x1, n1, x2, n2);
    expect(r.estimate).toBeCloseTo(x1 / n1 - x2 / n2, 12);
    expect(r.low).toBeCloseTo(low, 4);
    expect(r.high).toBeCloseTo(high, 4);
  });

  it('refuses impossible counts', () => {
    expect(() => newcombeInterval(3, 2, 1, 5)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
    expect(() => wilsonInterval(0, 0)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });
});

describe("Welch's interval", () => {
  it("reproduces R's t.test(extra ~ group, data = sleep): t = −1.8608, df = 17.776, CI −3.3654832 to 0.2054832", () => {
    const g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    const g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    const r = welchInterval(moments(g1), moments(g2))!;
    expect(r.estimate).toBeCloseTo(0.75 - 2.33, 12);
    expect(r.estimate / r.standardError).toBeCloseTo(-1.8608, 4);
    expect(r.df).toBeCloseTo(17.776, 3);
    expect(r.low).toBeCloseTo(-3.3654832, 6);
    expect(r.high).toBeCloseTo(0.2054832, 6);
  });

  it('has no interval with fewer than two debtors in a group or no variation at all', () => {
    expect(welchInterval({ n: 1, mean: 3, variance: 0 }, { n: 5, mean: 1, variance: 2 })).toBeNull();
    expect(welchInterval({ n: 4, mean: 0, variance: 0 }, { n: 5, mean: 0, variance: 0 })).toBeNull();
  });
});

describe('coverage on simulated lists with a known difference', () => {
  // 2,000 lists of 950 called and 200 control debtors, true pay rates 0.25 and 0.20, amounts
  // exponential with means 120 € and 100 € among payers: the 95 % intervals must hold the true
  // difference about 95 % of the time (binomial 2-sigma band of 2,000 draws: ±1 %). With 50
  // control debtors (about 10 payers) Welch's interval covers only about 91 %: the mean of so few
  // skewed amounts is far from normal, which docs/call-list.md states.
  it('95 % intervals hold the true pay-rate and amount differences 93.5–96.5 % of the time', () => {
    const rnd = lcg(20261204);
    const lists = 2000;
    const truePay = { called: 0.25, control: 0.2 };
    const trueMeanIfPaid = { called: 120, control: 100 };
    const trueRateDiff = truePay.called - truePay.control;
    const trueAmountDiff = truePay.called * trueMeanIfPaid.called - truePay.control * trueMeanIfPaid.control;
    const arm = (n: number, p: number, mean: number) => {
      const amounts = Array.from({ length: n }, () => (rnd() < p ? -mean * Math.log(1 - rnd()) : 0));
      const m = moments(amounts);
      return { n, nPaid: amounts.filter((a) => a > 0).length, meanRecovered: m.mean, varianceRecovered: m.variance };
    };
    let rateHits = 0;
    let amountHits = 0;
    let amountLists = 0;
    for (let i = 0; i < lists; i++) {
      const r = realisedUplift(arm(950, truePay.called, trueMeanIfPaid.called), arm(200, truePay.control, trueMeanIfPaid.control));
      if (r.payRateDiff!.low <= trueRateDiff && trueRateDiff <= r.payRateDiff!.high) rateHits++;
      if (r.amountDiff) {
        amountLists++;
        if (r.amountDiff.low <= trueAmountDiff && trueAmountDiff <= r.amountDiff.high) amountHits++;
      }
    }
    expect(rateHits / lists).toBeGreaterThan(0.935);
    expect(rateHits / lists).toBeLessThan(0.965);
    expect(amountLists).toBe(lists);
    expect(amountHits / lists).toBeGreaterThan(0.93);
    expect(amountHits / lists).toBeLessThan(0.965);
  });
});
