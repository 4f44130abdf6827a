import { Rng } from '../../src/core/rng';
import { costAt } from '../../src/model/metrics';
import { costOptimalThreshold, resolveThreshold } from '../../src/model/threshold';

describe('thresholds', () => {
  test('the cost-optimal threshold reaches the brute-force minimum cost and lies between scores', () => {
    const rng = new Rng(9);
    const y = Array.from({ length: 400 }, () => (rng.bernoulli(0.1) ? 1 : 0));
    const p = y.map((v) => Math.min(0.999, Math.max(0.001, 0.08 + 0.15 * v + rng.normal(0, 0.07))));
    const chosen = costOptimalThreshold(y, p, { falseNegativeCost: 10, falsePositiveCost: 1 });
    const brute = Math.min(costAt(y, p, Infinity), ...p.map((t) => costAt(y, p, t)));
    expect(chosen.cost).toBeCloseTo(brute, 12);
    expect(costAt(y, p, chosen.threshold)).toBeCloseTo(brute, 12);
    expect(p).not.toContain(chosen.threshold);
  });

  test('fixed and Bayes rules, shifted for class weighting; bad rules are named', () => {
    const costs = { falseNegativeCost: 10, falsePositiveCost: 1 };
    expect(resolveThreshold('bayes', costs).threshold).toBeCloseTo(1 / 11, 15);
    expect(resolveThreshold('bayes', costs, undefined, 14).threshold).toBeCloseTo(14 / 24, 15);
    expect(resolveThreshold(0.3, costs).threshold).toBe(0.3);
    expect(() => resolveThreshold(1.5, costs)).toThrow(/threshold must be in \[0, 1\]/);
    expect(() => resolveThreshold('cost-optimal', costs)).toThrow(/out-of-fold/);
  });
});
