/**
 * The power calculation against hand-computed values and against simulation: the sample size of
 * a two-sided two-proportion z-test at α = 0.05 and power 0.8, and the weeks of lists it takes.
 */
import { twoProportionSampleSize, weeksToDetect } from '../../../src/monitoring/uplift/power';
import { normalCdf } from '../../../src/monitoring/drift/special-functions';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('two-proportion sample size', () => {
  it('equal groups, 20 % against 30 %: 293.15 per group by hand (294 rounded up)', () => {
    // p̄ = 0.25; z₀.₉₇₅ √(2 p̄ q̄) = 1.959964 × √0.375 = 1.200228; z₀.₈ √(p₀q₀ + p₁q₁) = 0.841621 × √0.37 = 0.511937;
    // (1.200228 + 0.511937)² / 0.1² = 2.931509 / 0.01 = 293.15.
    const s = twoProportionSampleSize(0.2, 0.1, 1);
    expect(s.nControl).toBeCloseTo(293.15, 2);
    expect(s.nCalled).toBeCloseTo(293.15, 2);
  });

  it("Fleiss's unequal-groups formula with 19 called per control debtor, 20 % against 22 %", () => {
    // p₁ = 0.22, k = 19: p̄ = (0.2 + 19 × 0.22) / 20 = 0.219; p̄q̄(1 + 1/19) = 0.171039 × 1.0526316 = 0.180041;
    // √ = 0.424313; × 1.959964 = 0.831638. p₀q₀ + p₁q₁/19 = 0.16 + 0.1716/19 = 0.169032; √ = 0.411135; × 0.841621 = 0.346020.
    // (0.831637 + 0.346020)² / 0.02² = 1.386875 / 0.0004 = 3467.19 control, × 19 = 65,877 called.
    const s = twoProportionSampleSize(0.2, 0.02, 19);
    expect(s.nControl).toBeCloseTo(3467.19, 1);
    expect(s.nCalled / s.nControl).toBeCloseTo(19, 12);
  });

  it('the test run at that size detects the difference 80 % of the time (simulation)', () => {
    // 1 control : 3 called, 30 % against 40 %: simulate the pooled z-test at the computed size.
    const { nControl, nCalled } = twoProportionSampleSize(0.3, 0.1, 3);
    const n0 = Math.ceil(nControl);
    const n1 = Math.ceil(nCalled);
    const rnd = lcg(7);
    const trials = 3000;
    let rejected = 0;
    for (let i = 0; i < trials; i++) {
      let x0 = 0;
      let x1 = 0;
      for (let j = 0; j < n0; j++) x0 += rnd() < 0.3 ? 1 : 0;
      for (let j = 0; j < n1; j++) x1 += rnd() < 0.4 ? 1 : 0;
      const p = (x0 + x1) / (n0 + n1);
      const z = (x1 / n1 - x0 / n0) / Math.sqrt(p * (1 - p) * (1 / n0 + 1 / n1));
      if (2 * (1 - normalCdf(Math.abs(z))) < 0.05) rejected++;
    }
    // 3,000 trials: standard error of the power estimate ≈ 0.0073.
    expect(rejected / trials).toBeGreaterThan(0.78);
    expect(rejected / trials).toBeLessThan(0.83);
  });

  it('refuses an uplift of zero or past a pay rate of 1', () => {
    expect(() => twoProportionSampleSize(0.2, 0, 19)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
    expect(() => twoProportionSampleSize(0.95, 0.1, 19)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });
});

describe('weeks of lists to detect an uplift', () => {
  it('1,000 would-be-listed debtors a week, 5 % held out, 20 % base rate: 2 points take 70 weeks, 5 points 12', () => {
    const weeks = weeksToDetect(0.2, 1000, 0.05, [0.02, 0.05]);
    // 50 control debtors a week; 3467.2 / 50 → 70 weeks.
    expect(weeks[0]).toMatchObject({ uplift: 0.02, weeks: 70 });
    // p₁ = 0.25: p̄ = 0.2475, p̄q̄ × 20/19 = 0.186244 × 1.0526316 = 0.196046, √ × 1.959964 = 0.867815; √(0.16 + 0.1875/19) = 0.412151, × 0.841621 = 0.346875;
    // (1.214690)² / 0.0025 = 590.19 control → 12 weeks of 50.
    expect(weeks[1]!.nControl).toBeCloseTo(590.19, 1);
    expect(weeks[1]).toMatchObject({ uplift: 0.05, weeks: 12 });
  });

  it('a larger holdout share detects the same uplift sooner', () => {
    const [at5] = weeksToDetect(0.2, 1000, 0.05, [0.03]);
    const [at20] = weeksToDetect(0.2, 1000, 0.2, [0.03]);
    expect(at20!.weeks!).toBeLessThan(at5!.weeks!);
  });
});
